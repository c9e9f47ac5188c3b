"""Review: one card at a time; she recalls, shows the answer, and rates how well she knew it."""

from __future__ import annotations

import flet as ft

from app.domain.course import Unit
from app.domain.srs import CardSpec, Facet, Rating
from app.ui.controller import Controller
from app.ui.widgets import (
    card,
    heading,
    korean,
    play_button,
    prompt_lang,
    screen,
    top_bar,
    translated,
)


def view(ctl: Controller) -> ft.Control:
    t = ctl.t
    state = ctl.state
    body: list[ft.Control] = []
    if not state.review_queue:
        goal, days = ctl.goal()
        body += [
            heading(t._("All done for now"), 22),
            ft.Text(
                t.ngettext("You reviewed {n} card.", "You reviewed {n} cards.", state.reviewed),
                key="review-summary",
            ),
            ft.Text(t._("Today: {done} of {target} reviews", done=goal.done, target=goal.target)),
            ft.Text(t.ngettext("{n} day in a row", "{n} days in a row", days)),
            ft.FilledButton(t._("Back to Home"), key="review-home", on_click=ctl.go_home),
        ]
        return screen(top_bar(t._("Review"), t, ctl.back), body)
    spec, unit = ctl.card_content(state.review_queue[0])
    lang = prompt_lang(state.lang or "en")
    body.append(
        ft.Text(
            t.ngettext("{n} card left", "{n} cards left", len(state.review_queue)),
            size=12,
            key="review-left",
        )
    )
    body.append(card(_front(ctl, spec, unit, lang), key="review-front"))
    if not state.revealed:
        body.append(ft.FilledButton(t._("Show the answer"), key="reveal", on_click=ctl.reveal))
    else:
        body.append(card(_back(ctl, spec, unit, lang), key="review-back"))
        body.append(ft.Text(t._("How well did you know it?"), weight=ft.FontWeight.BOLD))
        labels = {
            Rating.AGAIN: t._("Again"),
            Rating.HARD: t._("Hard"),
            Rating.GOOD: t._("Good"),
            Rating.EASY: t._("Easy"),
        }
        body.append(
            ft.Row(
                [
                    ft.OutlinedButton(
                        label,
                        key=f"rate-{rating.name.lower()}",
                        on_click=lambda _e=None, r=rating: ctl.rate(r),
                    )
                    for rating, label in labels.items()
                ],
                wrap=True,
            )
        )
    return screen(top_bar(t._("Review"), t, ctl.back), body)


def _front(ctl: Controller, spec: CardSpec, unit: Unit, lang: str) -> list[ft.Control]:
    t = ctl.t
    if spec.facet is Facet.READ:
        letter = next(x for x in unit.letters if x.id == spec.item)
        return [ft.Text(t._("How is this read?")), korean(letter.char, size=48, key="card-cue")]
    word = next(x for x in unit.vocabulary if x.id == spec.item)
    if spec.facet is Facet.RECOGNIZE:
        return [
            ft.Text(t._("What does this mean?")),
            ft.Row([play_button(ctl, word.ko, "play-card"), korean(word.ko, 30, key="card-cue")]),
        ]
    if spec.facet is Facet.LISTEN:
        if ctl.clip(word.ko) is not None:
            return [
                ft.Text(t._("Listen and choose the meaning")),
                ft.FilledButton(
                    t._("Play"),
                    icon=ft.Icons.VOLUME_UP,
                    key="play-card",
                    on_click=lambda: ctl.play(word.ko),
                ),
            ]
        note = t._("No audio on this device yet for this text. Read it instead.")
        return [ft.Text(note, size=12, italic=True), korean(word.ko, 30, key="card-cue")]
    return [  # produce
        ft.Text(t._("Which Korean word means this?")),
        ft.Text(word.meaning.in_lang(lang), size=24, key="card-cue"),
    ]


def _back(ctl: Controller, spec: CardSpec, unit: Unit, lang: str) -> list[ft.Control]:
    t = ctl.t
    if spec.facet is Facet.READ:
        letter = next(x for x in unit.letters if x.id == spec.item)
        return [
            ft.Text(f"{letter.name} · {letter.roman}", size=20, key="card-answer"),
            translated(letter.sound, lang, t),
        ]
    word = next(x for x in unit.vocabulary if x.id == spec.item)
    return [
        ft.Row([play_button(ctl, word.ko, "play-answer"), korean(word.ko, 26, key="card-answer")]),
        ft.Text(word.meaning.in_lang(lang), size=18),
        korean(word.example.ko or "", 15),
        translated(word.example, lang, t, 13, beside_korean=True),
    ]
