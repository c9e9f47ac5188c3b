"""A unit's study material, one section at a time, then the exercises."""

from __future__ import annotations

import flet as ft

from app.domain.course import Unit
from app.i18n.catalog import Translator
from app.ui.controller import Controller, Section, sections_of
from app.ui.widgets import (
    card,
    heading,
    korean,
    play_button,
    screen,
    speed_switch,
    top_bar,
    translated,
)


def section_name(section: Section, t: Translator) -> str:
    return {
        Section.LETTERS: t._("Letters"),
        Section.DIALOGUE: t._("Dialogue"),
        Section.VOCABULARY: t._("Vocabulary"),
        Section.GRAMMAR: t._("Grammar"),
        Section.PRONUNCIATION: t._("Pronunciation"),
        Section.CULTURE: t._("Culture"),
        Section.FACTS: t._("Good to know"),
    }[section]


def pos_name(pos: str, t: Translator) -> str:
    return {
        "noun": t._("noun"),
        "verb": t._("verb"),
        "adjective": t._("adjective"),
        "adverb": t._("adverb"),
        "particle": t._("particle"),
        "pronoun": t._("pronoun"),
        "number": t._("number"),
        "counter": t._("counter"),
        "determiner": t._("determiner"),
        "expression": t._("expression"),
        "interjection": t._("interjection"),
    }.get(pos, pos)


def view(ctl: Controller) -> ft.Control:
    t = ctl.t
    lang = ctl.state.lang or "en"
    unit = ctl.unit
    assert unit is not None
    body: list[ft.Control] = [
        ft.Text(t._("Goals"), weight=ft.FontWeight.BOLD),
        *[ft.Text("• " + goal.in_lang(lang)) for goal in unit.goals],
        ft.Row(
            [
                ft.Button(
                    section_name(section, t),
                    key=f"section-{section.value}",
                    on_click=lambda _e=None, s=section: ctl.open_section(s),
                    bgcolor=ft.Colors.PRIMARY_CONTAINER if section is ctl.state.section else None,
                )
                for section in sections_of(unit)
            ],
            wrap=True,
        ),
    ]
    if ctl.state.section is not None:
        if not _all_audio_here(ctl, unit):
            body.append(
                ft.Text(
                    t._("Some audio of this unit is not on this device yet."),
                    size=12,
                    italic=True,
                    key="audio-missing",
                )
            )
        body.extend(_section(ctl, unit, ctl.state.section, lang))
    body.append(
        ft.FilledButton(
            t._("Start exercises ({n})", n=len(unit.exercises)),
            icon=ft.Icons.EDIT,
            key="start-exercises",
            on_click=ctl.start_exercises,
        )
    )
    title = t._("Unit {number}: {title}", number=unit.number, title=unit.title.in_lang(lang))
    return screen(top_bar(title, t, ctl.back), body)


def _all_audio_here(ctl: Controller, unit: Unit) -> bool:
    """Whether every word and dialogue line of the unit can be played."""
    texts = [v.ko for v in unit.vocabulary]
    if unit.dialogue is not None:
        texts += [line.text.ko or "" for line in unit.dialogue.lines]
    return all(ctl.clip(text) is not None for text in texts)


def _section(ctl: Controller, unit: Unit, section: Section, lang: str) -> list[ft.Control]:
    t = ctl.t
    show = ctl.state.show_translation
    if section is Section.DIALOGUE and unit.dialogue is not None:
        dialogue = unit.dialogue
        playing_all = ctl.state.playing_line is not None
        any_audio = any(ctl.clip(line.text.ko or "") for line in dialogue.lines)
        controls: list[ft.Control] = [
            translated(dialogue.setting, lang, t, size=13),
            ft.Row(
                [
                    ft.Switch(
                        label=t._("Show translation"),
                        value=show,
                        key="toggle-translation",
                        on_change=ctl.toggle_translation,
                    ),
                    speed_switch(ctl),
                ],
                wrap=True,
            ),
            ft.OutlinedButton(
                t._("Stop") if playing_all else t._("Play the whole dialogue"),
                icon=ft.Icons.STOP if playing_all else ft.Icons.PLAY_ARROW,
                key="play-dialogue",
                disabled=not any_audio,
                tooltip=None if any_audio else t._("No audio on this device yet for this text"),
                on_click=ctl.stop_audio if playing_all else ctl.play_dialogue,
            ),
        ]
        for line in dialogue.lines:
            rows: list[ft.Control] = [
                ft.Text(
                    f"{line.speaker.name} ({line.speaker.roman})",
                    size=12,
                    weight=ft.FontWeight.BOLD,
                ),
                ft.Row(
                    [
                        play_button(ctl, line.text.ko or "", f"play-{line.id}"),
                        ft.Container(
                            korean(line.text.ko or "", key=f"line-{line.id}"), expand=True
                        ),
                    ]
                ),
            ]
            if show:
                rows.append(translated(line.text, lang, t, beside_korean=True))
            current = ctl.state.playing_line == line.id
            key = f"playing-{line.id}" if current else f"card-{line.id}"
            controls.append(card(rows, key=key, highlight=current))
        return controls
    if section is Section.VOCABULARY:
        return [
            card(
                [
                    ft.Row(
                        [
                            play_button(ctl, item.ko, f"play-{item.id}"),
                            korean(item.ko, size=22),
                            ft.Text(pos_name(item.pos, t), size=12, italic=True),
                        ]
                    ),
                    translated(item.meaning, lang, t),
                    ft.Row(
                        [
                            play_button(ctl, item.example.ko or "", f"play-{item.id}-example"),
                            ft.Container(korean(item.example.ko or "", size=15), expand=True),
                        ]
                    ),
                    translated(item.example, lang, t, size=13, beside_korean=True),
                ],
                key=f"vocab-{item.id}",
            )
            for item in unit.vocabulary
        ]
    if section is Section.GRAMMAR:
        controls = []
        for point in unit.grammar:
            rows = [
                heading(point.pattern, 20),
                translated(point.explanation, lang, t),
                ft.Text(t._("Examples"), weight=ft.FontWeight.BOLD),
            ]
            for number, example in enumerate(point.examples):
                rows.extend(
                    [
                        ft.Row(
                            [
                                play_button(ctl, example.ko or "", f"play-{point.id}-{number}"),
                                ft.Container(korean(example.ko or "", size=17), expand=True),
                            ]
                        ),
                        translated(example, lang, t, 13, beside_korean=True),
                    ]
                )
            rows.append(ft.Text(t._("Common mistakes"), weight=ft.FontWeight.BOLD))
            rows.extend(translated(m, lang, t, 14) for m in point.mistakes)
            controls.append(card(rows, key=f"grammar-{point.id}"))
        return controls
    if section is Section.PRONUNCIATION and unit.pronunciation is not None:
        sound = unit.pronunciation
        return [
            card(
                [
                    heading(sound.title.in_lang(lang), 18),
                    translated(sound.explanation, lang, t),
                    *[translated(e, lang, t, 16) for e in sound.examples],
                ]
            )
        ]
    if section is Section.CULTURE and unit.culture is not None:
        note = unit.culture
        return [card([heading(note.title.in_lang(lang), 18), translated(note.body, lang, t)])]
    if section is Section.LETTERS:
        return [
            card(
                [
                    ft.Row(
                        [
                            play_button(ctl, letter.char, f"play-{letter.id}"),
                            korean(letter.char, size=40),
                            ft.Text(f"{letter.name} · {letter.roman}"),
                        ]
                    ),
                    translated(letter.sound, lang, t),
                    translated(letter.shape, lang, t, 13),
                    *[
                        ft.Row(
                            [
                                play_button(ctl, e.ko or "", f"play-{letter.id}-{number}"),
                                ft.Text(f"{e.ko} — {e.in_lang(lang)}", size=15),
                            ]
                        )
                        for number, e in enumerate(letter.examples)
                    ],
                ],
                key=f"letter-{letter.id}",
            )
            for letter in unit.letters
        ]
    if section is Section.FACTS:
        return [
            card(
                [
                    translated(fact.text, lang, t),
                    ft.Text(
                        t._(
                            "Checked {date} · Source: {source}",
                            date=t.date(fact.checked),
                            source=fact.source,
                        ),
                        size=11,
                        italic=True,
                    ),
                ],
                key=f"fact-{fact.id}",
            )
            for fact in unit.facts
        ]
    return []
