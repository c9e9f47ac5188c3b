"""The unit result: score, and what to review with the right answers."""

from __future__ import annotations

import flet as ft

from app.domain.exercises import ChoiceExercise, MatchExercise, choice_label
from app.ui.controller import Controller
from app.ui.widgets import card, heading, korean, screen, top_bar, translated


def view(ctl: Controller) -> ft.Control:
    t = ctl.t
    lang = ctl.state.lang or "en"
    result = ctl.state.result
    session = ctl.state.session
    assert result is not None and session is not None
    body: list[ft.Control] = [
        heading(t._("Unit complete"), 24),
        ft.Text(
            t._("Score: {percent}", percent=t.percent(result.percent / 100)), size=32, key="score"
        ),
        ft.Text(
            t._(
                "{correct} of {total} right the first time",
                correct=result.correct,
                total=result.total,
            )
        ),
    ]
    if result.missed:
        body.append(ft.Text(t._("To review"), weight=ft.FontWeight.BOLD, size=18))
        for exercise_id in result.missed:
            exercise = session.exercises[exercise_id]
            if isinstance(exercise, ChoiceExercise):
                prompt = exercise.cue.ko or exercise.cue.in_lang(lang)
                answer = choice_label(exercise.choices[exercise.answer], lang)
                rows: list[ft.Control] = [ft.Text(prompt, size=15), korean(answer, size=17)]
            elif isinstance(exercise, MatchExercise):
                rows = [
                    ft.Text(f"{ko} = {meaning.in_lang(lang)}", size=15)
                    for ko, meaning in exercise.pairs
                ]
            else:
                rows = [
                    translated(exercise.target, lang, t, 15),
                    korean(exercise.accepted[0], size=17),
                ]
            body.append(card(rows, key=f"review-{exercise_id}"))
    else:
        body.append(ft.Text(t._("Everything right the first time!"), key="all-right"))
    body.append(
        ft.Row(
            [
                ft.FilledButton(
                    t._("Back to the course"),
                    key="back-to-course",
                    on_click=lambda: ctl.open_course(result.unit.course),
                ),
                ft.OutlinedButton(t._("Try again"), key="try-again", on_click=ctl.start_exercises),
            ],
            wrap=True,
        )
    )
    unit = ctl.unit
    return screen(top_bar(unit.title.in_lang(lang) if unit else "", t, ctl.back), body)
