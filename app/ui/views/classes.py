"""My classes (tutors): pick a class, see who has done each assignment, assign and remove units.

Every action needs the server; it runs in the background (app/ui/tutoring.py) and a problem is
said in plain words next to the form, which keeps what the tutor typed.
"""

from __future__ import annotations

from datetime import timedelta

import flet as ft

from app.i18n.catalog import Translator
from app.ui.controller import Controller
from app.ui.tutoring import NOTE_LENGTH, Done, Tutoring
from app.ui.views.settings import problem_text
from app.ui.widgets import GAP, card, heading, screen, top_bar
from sync.protocol import AssignmentStatus, LearnerProgress


def view(ctl: Controller) -> ft.Control:
    t = ctl.t
    tutoring = ctl.tutoring
    bar = top_bar(t._("My classes"), t, ctl.back)
    if tutoring is None:
        return screen(bar, [])
    body: list[ft.Control] = []
    if tutoring.busy:
        body.append(ft.Row([ft.ProgressRing(width=16, height=16), ft.Text(t._("Loading…"))]))
    if tutoring.error is not None:
        body.append(
            ft.Text(
                tutor_problem(t, tutoring.error.problem.value, tutoring.error.detail),
                color=ft.Colors.ERROR,
                key="classes-problem",
            )
        )
        if tutoring.classes is None:
            body.append(
                ft.OutlinedButton(
                    t._("Try again"),
                    key="classes-retry",
                    on_click=lambda _e=None: tutoring.load_classes(),
                )
            )
    if tutoring.done is Done.ASSIGNED:
        body.append(
            ft.Text(
                t._("Assigned. Learners get it the next time their app syncs."),
                key="classes-done",
            )
        )
    elif tutoring.done is Done.REMOVED:
        body.append(
            ft.Text(
                t._("Removed. Learners' apps hide it the next time they sync."), key="classes-done"
            )
        )
    if tutoring.classes is not None and not tutoring.classes:
        body.append(
            ft.Text(
                t._(
                    "You are not a tutor of any class yet. An administrator adds tutors to "
                    "classes on the server."
                ),
                key="classes-none",
            )
        )
    if tutoring.classes:
        body.append(_class_picker(tutoring))
    chosen = tutoring.chosen
    if chosen is not None:
        body.append(heading(chosen.name, 18))
        cards = [_assign_form(ctl, tutoring)]
        if tutoring.statuses is not None:
            if not tutoring.statuses:
                cards.append(ft.Text(t._("No assignments yet."), key="assigned-none"))
            cards += [_assignment_card(ctl, status) for status in tutoring.statuses]
        # One width for the form and every assignment card, whatever their texts' lengths.
        body.append(
            ft.Column(cards, spacing=GAP, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)
        )
    return screen(bar, body)


def tutor_problem(t: Translator, problem: str, detail: str) -> str:
    """Why a tutor's action did not happen: nothing was changed, and the form is kept."""
    if problem == "offline":
        return t._("No connection to the server. Nothing was changed; what you typed is kept.")
    if problem == "forbidden":
        return t._("Your account may not change this class. Ask an administrator.")
    return problem_text(t, problem, detail)


def _class_picker(tutoring: Tutoring) -> ft.Control:
    buttons: list[ft.Control] = []
    for info in tutoring.classes or []:
        if info.id == tutoring.class_id:
            buttons.append(ft.FilledButton(info.name, icon=ft.Icons.CHECK, key=f"class-{info.id}"))
        else:
            buttons.append(
                ft.OutlinedButton(
                    info.name,
                    key=f"class-{info.id}",
                    on_click=lambda _e=None, i=info.id: tutoring.choose(i),
                )
            )
    return ft.Row(buttons, wrap=True, spacing=8, run_spacing=8)


def _assign_form(ctl: Controller, tutoring: Tutoring) -> ft.Control:
    """Course, unit, optional due date and note; the draft survives every redraw."""
    t = ctl.t
    lang = ctl.state.lang or "en"
    draft = tutoring.draft
    courses = ctl.library.courses
    course = next((c for c in courses if c.id == draft.course_id), None)

    def pick_course(e: ft.Event[ft.Dropdown]) -> None:
        tutoring.edit(course_id=e.control.value or "", unit_id="")
        ctl.on_change()  # the unit list follows the course

    def pick_unit(e: ft.Event[ft.Dropdown]) -> None:
        tutoring.edit(unit_id=e.control.value or "")
        ctl.on_change()  # the Assign button becomes available

    course_menu = ft.Dropdown(
        label=t._("Course"),
        value=draft.course_id or None,
        options=[ft.DropdownOption(key=c.id, text=c.title.in_lang(lang)) for c in courses],
        key="assign-course",
        on_select=pick_course,
    )
    unit_menu = ft.Dropdown(
        label=t._("Unit"),
        value=draft.unit_id or None,
        options=[
            ft.DropdownOption(
                key=u.ref.unit,
                text=t._("Unit {number}: {title}", number=u.number, title=u.title.in_lang(lang)),
            )
            for u in (course.units if course else ())
        ],
        disabled=course is None,
        key="assign-unit",
        on_select=pick_unit,
    )
    example = (ctl.clock().astimezone().date() + timedelta(days=7)).isoformat()
    due = ft.TextField(
        label=t._("Due date (optional, YYYY-MM-DD)"),
        value=draft.due,
        hint_text=example,
        error=(
            t._("Write the date as YYYY-MM-DD, for example {example}.", example=example)
            if tutoring.due_invalid
            else None
        ),
        key="assign-due",
        on_change=lambda e: tutoring.edit(due=e.control.value or ""),
    )
    note = ft.TextField(
        label=t._("Note for the learners (optional)"),
        value=draft.note,
        max_length=NOTE_LENGTH,
        multiline=True,
        key="assign-note",
        on_change=lambda e: tutoring.edit(note=e.control.value or ""),
    )
    ready = bool(draft.course_id and draft.unit_id) and not tutoring.busy
    submit = ft.FilledButton(
        t._("Assign"),
        icon=ft.Icons.ASSIGNMENT_ADD,
        key="assign-submit",
        disabled=not ready,
        on_click=lambda _e=None: tutoring.assign(),
    )
    return card(
        [heading(t._("Assign a unit"), 16), course_menu, unit_menu, due, note, submit],
        key="assign-form",
    )


def _assignment_card(ctl: Controller, status: AssignmentStatus) -> ft.Control:
    t = ctl.t
    lang = ctl.state.lang or "en"
    a = status.assignment
    try:
        unit = ctl.library.course(a.course_id).unit(a.unit_id)
        title = t._("Unit {number}: {title}", number=unit.number, title=unit.title.in_lang(lang))
        title = f"{ctl.library.course(a.course_id).title.in_lang(lang)} · {title}"
    except KeyError:
        where = f"{a.course_id}/{a.unit_id}"
        title = t._("This unit is not on this device yet: {unit}", unit=where)
    due = t._("Due: {date}", date=t.date(a.due)) if a.due else t._("No due date")
    done = sum(1 for p in status.learners if p.done)
    lines: list[ft.Control] = [
        ft.Text(title, weight=ft.FontWeight.BOLD, key=f"assigned-title-{a.id}"),
        ft.Text(due, size=13),
    ]
    if a.note:
        lines.append(ft.Text(t._("Tutor's note: {note}", note=a.note), size=13, italic=True))
    lines.append(
        ft.Text(
            t.ngettext(
                "{done} of {n} learner has done it",
                "{done} of {n} learners have done it",
                len(status.learners),
                done=done,
            ),
            key=f"assigned-done-{a.id}",
        )
    )
    lines += [_learner_line(t, p, a.id) for p in status.learners]
    lines.append(
        ft.OutlinedButton(
            t._("Remove"),
            icon=ft.Icons.DELETE_OUTLINE,
            key=f"remove-{a.id}",
            disabled=ctl.tutoring is None or ctl.tutoring.busy,
            on_click=lambda _e=None, i=a.id: ctl.tutoring.remove(i) if ctl.tutoring else None,
        )
    )
    return card(lines, key=f"assigned-{a.id}")


def _learner_line(t: Translator, progress: LearnerProgress, assignment_id: str) -> ft.Control:
    if not progress.done:
        text = t._("{name}: not done yet", name=progress.username)
    elif progress.best_correct is not None and progress.best_total:
        score = t.percent(progress.best_correct / progress.best_total)
        text = t._("{name}: done · best score {percent}", name=progress.username, percent=score)
    else:
        text = t._("{name}: done", name=progress.username)
    return ft.Text(text, size=13, key=f"learner-{assignment_id}-{progress.learner_id}")
