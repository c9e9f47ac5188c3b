"""One exercise at a time, then feedback that shows the right answer."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import flet as ft

from app.domain.exercises import (
    ArrangeExercise,
    ChoiceExercise,
    Exercise,
    ExerciseType,
    MatchExercise,
    TypeExercise,
    choice_label,
)
from app.domain.grading import ARROW, Grade, NearMiss, match_pick
from app.domain.session import Phase, StudySession
from app.i18n.catalog import Translator
from app.ui.controller import Controller
from app.ui.keyboard import keyboard
from app.ui.widgets import (
    KOREAN_SIZE,
    card,
    korean,
    play_button,
    prompt_lang,
    screen,
    speed_switch,
    top_bar,
    translated,
)


def instruction(exercise: Exercise, t: Translator) -> str:
    return {
        ExerciseType.MEANING: t._("What does this mean?"),
        ExerciseType.KOREAN: t._("Which Korean word means this?"),
        ExerciseType.ARRANGE: t._("Put the words in order to say this in Korean"),
        ExerciseType.TYPE: t._("Write this in Korean"),
        ExerciseType.FILL: t._("Choose what goes in the gap"),
        ExerciseType.REPLY: t._("Choose the best answer"),
        ExerciseType.READ: t._("How is this read?"),
        ExerciseType.LISTEN: t._("Listen and choose the meaning"),
        ExerciseType.DICTATION: t._("Listen and write what you hear"),
        ExerciseType.MATCH: t._("Tap a Korean word, then its meaning"),
    }[exercise.type]


def view(ctl: Controller) -> ft.Control:
    t = ctl.t
    session = ctl.state.session
    assert session is not None and session.current is not None
    exercise = session.current
    lang = prompt_lang(ctl.state.lang or "en")
    body: list[ft.Control] = [
        ft.ProgressBar(value=session.done / session.total, key="exercise-progress"),
        ft.Text(
            t._("Again: you missed this one")
            if session.is_retry
            else t._(
                "Exercise {n} of {total}",
                n=session.order.index(exercise.id) + 1,
                total=session.total,
            ),
            size=12,
        ),
        ft.Text(instruction(exercise, t), weight=ft.FontWeight.BOLD, size=16),
    ]
    answering = session.phase is Phase.ANSWERING
    if isinstance(exercise, ChoiceExercise):
        body.extend(_choice(ctl, session, exercise, lang, answering))
    elif isinstance(exercise, ArrangeExercise):
        body.extend(_arrange(ctl, session, exercise, lang, answering))
    elif isinstance(exercise, TypeExercise):
        body.extend(_type(ctl, exercise, lang, answering))
    elif isinstance(exercise, MatchExercise):
        body.extend(_match(ctl, session, exercise, lang, answering))
    if session.phase is Phase.FEEDBACK:
        body.append(_feedback(ctl, session, exercise, lang))
    unit = ctl.unit
    title = unit.title.in_lang(ctl.state.lang or "en") if unit else ""
    return screen(top_bar(title, t, ctl.back), body)


def _choice(
    ctl: Controller, session: StudySession, exercise: ChoiceExercise, lang: str, answering: bool
) -> list[ft.Control]:
    t = ctl.t
    cue: list[ft.Control]
    if exercise.type is ExerciseType.KOREAN:
        cue = [ft.Text(exercise.cue.in_lang(lang), size=KOREAN_SIZE, key="cue")]
    elif exercise.type is ExerciseType.FILL:
        cue = [korean(exercise.cue.ko or "", key="cue"), translated(exercise.cue, lang, t)]
    elif exercise.type is ExerciseType.REPLY:
        line = exercise.cue.ko or ""
        cue = [
            ft.Row([play_button(ctl, line, "play-cue"), korean("“" + line + "”", key="cue")]),
            translated(exercise.cue, lang, t),
        ]
    elif exercise.type is ExerciseType.LISTEN:
        cue = _listening_cue(ctl, exercise.cue.ko or "", ft.Text(exercise.cue.ko or "", size=30))
    elif exercise.type is ExerciseType.MEANING:  # hearing the word helps and gives nothing away
        word = exercise.cue.ko or ""
        cue = [ft.Row([play_button(ctl, word, "play-cue"), korean(word, size=30, key="cue")])]
    else:  # read: hearing it would give the answer away
        cue = [korean(exercise.cue.ko or "", size=30, key="cue")]
    buttons: list[ft.Control] = []
    last = session.last
    for index in session.layout(exercise):
        label = choice_label(exercise.choices[index], lang)
        color = None
        if last is not None and index == exercise.answer:
            color = ft.Colors.GREEN_100
        buttons.append(
            ft.OutlinedButton(
                label,
                key=f"choice-{index}",
                disabled=not answering,
                on_click=lambda _e=None, i=index: ctl.choose(i),
                style=ft.ButtonStyle(bgcolor=color) if color else None,
            )
        )
    return [
        card(cue),
        ft.Column(buttons, spacing=8, horizontal_alignment=ft.CrossAxisAlignment.STRETCH),
    ]


def _arrange(
    ctl: Controller, session: StudySession, exercise: ArrangeExercise, lang: str, answering: bool
) -> list[ft.Control]:
    t = ctl.t
    placed = ctl.state.placed
    answer_row = ft.Row(
        [
            ft.FilledButton(
                exercise.tiles[i],
                key=f"placed-{i}",
                disabled=not answering,
                on_click=lambda _e=None, i=i: ctl.remove_tile(i),
            )
            for i in placed
        ],
        wrap=True,
        key="answer-row",
    )
    bank = ft.Row(
        [
            ft.OutlinedButton(
                exercise.tiles[i],
                key=f"tile-{i}",
                disabled=not answering,
                on_click=lambda _e=None, i=i: ctl.place_tile(i),
            )
            for i in session.layout(exercise)
            if i not in placed
        ],
        wrap=True,
        key="tile-bank",
    )
    controls: list[ft.Control] = [
        card([translated(exercise.target, lang, t, size=18)]),
        ft.Container(
            answer_row,
            padding=ft.Padding.all(8),
            border=ft.Border.all(1, ft.Colors.OUTLINE),
            border_radius=8,
        ),
        ft.Text(t._("Tap the words in order. Tap a placed word to take it back."), size=12),
        bank,
    ]
    if answering:
        controls.append(
            ft.FilledButton(t._("Check"), key="check", disabled=not placed, on_click=ctl.check)
        )
    return controls


def _match(
    ctl: Controller, session: StudySession, exercise: MatchExercise, lang: str, answering: bool
) -> list[ft.Control]:
    t = ctl.t
    picks = (
        ctl.state.match_picks
        if answering
        else tuple(match_pick(i, i) for i in range(len(exercise.pairs)))
    )
    done = {int(p.split("=")[0]) for p in picks if len(set(p.split("="))) == 1}
    order = session.layout(exercise)

    def tile(label: str, key: str, index: int, on_click: Callable[[], None]) -> ft.Control:
        matched = index in done
        chosen = key.startswith("word") and ctl.state.match_left == index
        return ft.OutlinedButton(
            label,
            key=key,
            disabled=matched or not answering,
            on_click=on_click,
            style=ft.ButtonStyle(
                bgcolor=ft.Colors.GREEN_100
                if matched
                else ft.Colors.PRIMARY_CONTAINER
                if chosen
                else None
            ),
        )

    words = ft.Column(
        [tile(exercise.pairs[i][0], f"word-{i}", i, partial(ctl.pick_word, i)) for i in order],
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        expand=True,
    )
    meanings = ft.Column(
        [
            tile(
                exercise.pairs[i][1].in_lang(lang),
                f"meaning-{i}",
                i,
                partial(ctl.pick_meaning, i),
            )
            for i in reversed(order)  # not side by side with its word
        ],
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        expand=True,
    )
    controls: list[ft.Control] = [
        ft.Row([words, meanings], vertical_alignment=ft.CrossAxisAlignment.START)
    ]
    if answering and picks and len(set(picks[-1].split("="))) != 1:
        controls.append(
            ft.Text(t._("Not a pair. Try again."), key="match-wrong", color=ft.Colors.ERROR)
        )
    return controls


def _listening_cue(ctl: Controller, text: str, fallback: ft.Control) -> list[ft.Control]:
    """A big play button; without the clip on this device, something to read instead."""
    t = ctl.t
    if ctl.clip(text) is not None:
        return [
            ft.FilledButton(
                t._("Play"),
                icon=ft.Icons.VOLUME_UP,
                key="play-cue",
                on_click=lambda: ctl.play(text),
            ),
            speed_switch(ctl),
        ]
    note = t._("No audio on this device yet for this text. Read it instead.")
    return [ft.Text(note, size=12, italic=True, key="no-audio"), fallback]


def _type(ctl: Controller, exercise: TypeExercise, lang: str, answering: bool) -> list[ft.Control]:
    t = ctl.t
    if exercise.type is ExerciseType.DICTATION:
        sentence = exercise.target.ko or ""
        prompt = _listening_cue(ctl, sentence, translated(exercise.target, lang, t, size=18))
        if not answering:  # after answering, what it means
            prompt.append(translated(exercise.target, lang, t, size=15))
    else:
        prompt = [translated(exercise.target, lang, t, size=18)]
    controls: list[ft.Control] = [
        card(prompt),
        ft.TextField(
            label=t._("Your answer in Korean"),
            value=ctl.state.typed,
            key="answer-field",
            autofocus=not ctl.state.keyboard,
            # With the on-screen keyboard the field only shows what it composed.
            read_only=not answering or ctl.state.keyboard,
            on_change=lambda e: ctl.type_text(e.control.value or ""),
            on_submit=lambda _e=None: ctl.check(),
        ),
    ]
    if answering:
        controls.append(
            ft.Switch(
                label=t._("Korean keyboard on screen"),
                value=ctl.state.keyboard,
                key="toggle-keyboard",
                on_change=ctl.toggle_keyboard,
            )
        )
        if ctl.state.keyboard:
            controls.append(keyboard(ctl))
    if answering:
        controls.append(ft.FilledButton(t._("Check"), key="check", on_click=ctl.check))
    return controls


def _near_miss(grade: Grade, t: Translator) -> list[ft.Control]:
    """What kind of slip it was, when the answer was nearly right."""
    if grade.near_miss is None or grade.detail is None:
        return []
    given, _, expected = grade.detail.partition(ARROW)
    if grade.near_miss is NearMiss.POLITENESS:
        registers = {
            "banmal": t._("casual speech (반말)"),
            "haeyo": t._("polite speech (해요체)"),
            "hamnida": t._("formal speech (합니다체)"),
        }
        text = t._(
            "Wrong level of politeness: you used {given}; this needs {expected}.",
            given=registers.get(given, given),
            expected=registers.get(expected, expected),
        )
    elif grade.near_miss is NearMiss.WRONG_PARTICLE and not given:
        text = t._("A particle is missing: {expected}", expected=expected)
    else:
        text = {
            NearMiss.WRONG_PARTICLE: t._(
                "Nearly! Check the particle: {given} → {expected}", given=given, expected=expected
            ),
            NearMiss.WRONG_BATCHIM: t._(
                "Nearly! Check the final consonant (받침): {given} → {expected}",
                given=given,
                expected=expected,
            ),
            NearMiss.MISSING_HONORIFIC: t._(
                "Use the honorific form here: {given} → {expected}", given=given, expected=expected
            ),
            NearMiss.JAMO_TYPO: t._(
                "Nearly! One letter is different: {given} → {expected}",
                given=given,
                expected=expected,
            ),
        }[grade.near_miss]
    return [ft.Text(text, key="near-miss", color=ft.Colors.TERTIARY)]


def _feedback(ctl: Controller, session: StudySession, exercise: Exercise, lang: str) -> ft.Control:
    t = ctl.t
    grade = session.last
    assert grade is not None
    if isinstance(exercise, ChoiceExercise):
        right = choice_label(exercise.choices[exercise.answer], lang)
    else:
        right = grade.expected
    rows: list[ft.Control]
    if grade.correct:
        rows = [
            ft.Row(
                [
                    ft.Icon(ft.Icons.CHECK_CIRCLE, color=ft.Colors.GREEN),
                    ft.Text(t._("Correct!"), weight=ft.FontWeight.BOLD, key="feedback-correct"),
                ]
            )
        ]
    else:
        rows = [
            ft.Row(
                [
                    ft.Icon(ft.Icons.CANCEL, color=ft.Colors.RED),
                    ft.Text(t._("Not quite."), weight=ft.FontWeight.BOLD, key="feedback-wrong"),
                ]
            ),
            *_near_miss(grade, t),
            ft.Text(t._("Right answer:"), size=13),
            korean(right, key="right-answer"),
        ]
        if not session.first_try.get(exercise.id, True) and session.queue.count(exercise.id) > 1:
            rows.append(ft.Text(t._("This one comes back at the end."), size=12, italic=True))
    if grade.expected:  # a Korean answer: let her hear it, right or wrong
        rows.append(ft.Row([play_button(ctl, grade.expected, "play-answer"), speed_switch(ctl)]))
    rows.append(ft.FilledButton(t._("Continue"), key="continue-exercise", on_click=ctl.next))
    return card(rows, key="feedback")
