"""Home: continue where she left off, the courses with progress and level map."""

from __future__ import annotations

import flet as ft

from app.domain.course import Course
from app.ui.controller import AssignedUnit, Controller
from app.ui.widgets import card, heading, icon_button, screen, translated


def view(ctl: Controller) -> ft.Control:
    t = ctl.t
    lang = ctl.state.lang or "en"
    body: list[ft.Control] = []
    following = ctl.next_unit()
    if following is not None:
        course = ctl.library.course(following.ref.course)
        label = t._(
            "Continue: {course} · Unit {number} · {title}",
            course=course.title.in_lang(lang),
            number=following.number,
            title=following.title.in_lang(lang),
        )
        body.append(
            ft.FilledButton(
                label,
                icon=ft.Icons.PLAY_ARROW,
                key="continue",
                on_click=lambda: ctl.open_unit(following.ref.course, following.ref.unit),
            )
        )
    elif ctl.library.courses:
        body.append(ft.Text(t._("You have completed every unit. Well done!")))
    assigned = ctl.assigned_units()
    if assigned:
        body.append(_assignments_card(ctl, assigned, lang))
    body.append(_review_card(ctl))
    body.append(heading(t._("Courses"), 18))
    for course in ctl.library.courses:
        body.append(_course_card(ctl, course, lang))
    for failure in ctl.library.failures:
        first = failure.errors[0] if failure.errors else None
        body.append(
            card(
                [
                    ft.Text(
                        t.ngettext(
                            "“{course}” could not be loaded ({n} problem).",
                            "“{course}” could not be loaded ({n} problems).",
                            len(failure.errors),
                            course=failure.course_dir.name,
                        ),
                        color=ft.Colors.ERROR,
                        weight=ft.FontWeight.BOLD,
                    ),
                    ft.Text(str(first) if first else "", size=12, selectable=True),
                ],
                key=f"failed-{failure.course_dir.name}",
            )
        )
    if not ctl.library.courses and not ctl.library.failures:
        body.append(ft.Text(t._("No courses are installed."), color=ft.Colors.ERROR))
    tutor = (
        [icon_button(ft.Icons.SCHOOL, t._("My classes"), "open-classes", ctl.open_classes)]
        if ctl.is_tutor
        else []
    )
    bar = ft.Container(
        ft.Row(
            [
                ft.Text("SSOC Korean · 한국어", size=20, weight=ft.FontWeight.BOLD, expand=True),
                *tutor,
                icon_button(ft.Icons.INSIGHTS, t._("Progress"), "open-progress", ctl.open_progress),
                icon_button(ft.Icons.LANGUAGE, t._("Language"), "open-language", ctl.open_language),
                icon_button(ft.Icons.SETTINGS, t._("Settings"), "open-settings", ctl.open_settings),
            ]
        ),
        padding=ft.Padding.symmetric(horizontal=12, vertical=8),
        bgcolor=ft.Colors.PRIMARY_CONTAINER,
    )
    return screen(bar, body)


def _assignments_card(ctl: Controller, assigned: list[AssignedUnit], lang: str) -> ft.Control:
    """Units her tutors gave her class, soonest due first; a tap opens the unit."""
    t = ctl.t
    lines: list[ft.Control] = [heading(t._("From your tutor"), 18)]
    for item in assigned:
        a = item.assignment
        due = t._("Due: {date}", date=t.date(a.due)) if a.due else t._("No due date")
        if item.done:
            state, icon = t._("Done"), ft.Icons.CHECK_CIRCLE
        elif item.overdue:
            state, icon = t._("Overdue"), ft.Icons.ERROR_OUTLINE
        else:
            state, icon = t._("To do"), ft.Icons.ASSIGNMENT_OUTLINED
        details: list[ft.Control] = [
            ft.Text(t._("Class: {name}", name=a.class_name), size=13),
            ft.Text(
                f"{due} · {state}",
                size=13,
                key=f"assignment-state-{a.id}",
                color=ft.Colors.ERROR if item.overdue else None,
                weight=ft.FontWeight.BOLD if item.overdue else None,
            ),
        ]
        if a.note:
            details.append(ft.Text(t._("Tutor's note: {note}", note=a.note), size=13, italic=True))
        unit = item.unit
        if unit is None:
            title = t._("This unit is not on this device yet: {unit}", unit=str(a.unit))
        else:
            course = ctl.library.course(unit.ref.course).title.in_lang(lang)
            number = t._(
                "Unit {number}: {title}", number=unit.number, title=unit.title.in_lang(lang)
            )
            title = f"{course} · {number}"
        lines.append(
            ft.ListTile(
                leading=ft.Icon(icon, color=ft.Colors.ERROR if item.overdue else ft.Colors.PRIMARY),
                title=ft.Text(title, key=f"assignment-title-{a.id}"),
                subtitle=ft.Column(details, spacing=2),
                key=f"assignment-{a.id}",
                disabled=unit is None,
                on_click=(
                    None
                    if unit is None
                    else lambda _e=None, u=unit: ctl.open_unit(u.ref.course, u.ref.unit)
                ),
            )
        )
    return card(lines, key="assignments")


def _review_card(ctl: Controller) -> ft.Control:
    """Due reviews, today's goal and the streak."""
    t = ctl.t
    queue = ctl.review_queue()
    goal, days = ctl.goal()
    lines: list[ft.Control] = [
        ft.Text(t._("Review"), size=18, weight=ft.FontWeight.BOLD),
        ft.Text(
            t.ngettext("{n} card to review now", "{n} cards to review now", len(queue)),
            key="review-due",
        ),
        ft.Text(t._("Today: {done} of {target} reviews", done=goal.done, target=goal.target)),
        ft.ProgressBar(value=goal.fraction),
        ft.Text(t.ngettext("{n} day in a row", "{n} days in a row", days), key="streak"),
    ]
    if queue:
        lines.append(
            ft.FilledButton(t._("Start review"), key="open-review", on_click=ctl.open_review)
        )
    elif ctl.store.card_count():
        lines.append(ft.Text(t._("Nothing to review right now. Come back later."), size=12))
    else:
        lines.append(ft.Text(t._("Finish a unit to get words to review."), size=12, italic=True))
    return card(lines, key="review-card")


def _course_card(ctl: Controller, course: Course, lang: str) -> ft.Control:
    t = ctl.t
    done = sum(1 for unit in course.units if unit.ref in ctl.state.progress)
    lines: list[ft.Control] = [
        ft.Text(course.title.in_lang(lang), size=18, weight=ft.FontWeight.BOLD),
        translated(course.description, lang, t, size=13),
        ft.Text(
            t.ngettext(
                "{done} of {n} unit completed",
                "{done} of {n} units completed",
                len(course.units),
                done=done,
            ),
            size=13,
        ),
        ft.ProgressBar(value=done / len(course.units) if course.units else 0),
    ]
    if course.levels is not None:
        levels = course.levels
        lines.append(
            ft.Text(
                t._(
                    "CEFR {cefr} · about {hours} study hours", cefr=levels.cefr, hours=levels.hours
                ),
                size=12,
            )
        )
        lines.append(
            ft.Text(t._("King Sejong Institute: {level}", level=levels.ksi.in_lang(lang)), size=12)
        )
        lines.append(ft.Text(t._("KIIP: {level}", level=levels.kiip.in_lang(lang)), size=12))
    lines.append(
        ft.OutlinedButton(
            t._("Open"),
            key=f"course-{course.id}",
            on_click=lambda: ctl.open_course(course.id),
        )
    )
    return card(lines)
