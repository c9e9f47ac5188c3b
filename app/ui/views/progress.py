"""Progress: reviews and study time per day, retention, words known, and mastery per unit."""

from __future__ import annotations

import math
from datetime import date

import flet as ft
import flet_charts as fc

from app.ui.controller import Controller
from app.ui.widgets import card, heading, screen, top_bar


def _bars(days: list[tuple[date, int]], key: str, color: str) -> ft.Control:
    """A small bar chart of one number per day, labelled with the day of the month."""
    top = max((count for _, count in days), default=0)
    step = max(1, math.ceil(top / 4))  # about four whole-number gridlines, whatever the counts
    chart: ft.Control = fc.BarChart(
        key=key,
        height=160,
        max_y=step * 4 if top <= step * 4 else top,
        interactive=False,
        groups=[
            fc.BarChartGroup(x=i, rods=[fc.BarChartRod(to_y=count, width=12, color=color)])
            for i, (_, count) in enumerate(days)
        ],
        bottom_axis=fc.ChartAxis(
            labels=[
                fc.ChartAxisLabel(value=i, label=ft.Text(str(day.day), size=10))
                for i, (day, _) in enumerate(days)
                if (len(days) - 1 - i) % 2 == 0  # every other day, counting back from today
            ],
            label_size=20,
        ),
        left_axis=fc.ChartAxis(label_size=36, label_spacing=step),
    )
    return chart


def _daily(
    title: str, total: str, days: list[tuple[date, int]], name: str, color: str
) -> list[ft.Control]:
    """A heading, the 14-day total and the chart of one daily measure."""
    return [
        heading(title, 18),
        ft.Text(total, size=12, key=f"{name}-total"),
        _bars(days, f"chart-{name}", color),
    ]


def view(ctl: Controller) -> ft.Control:
    t = ctl.t
    report = ctl.state.report
    assert report is not None
    lang = ctl.state.lang or "en"
    reviews = sum(n for _, n in report.reviews)
    minutes = sum(n for _, n in report.minutes)
    body: list[ft.Control] = [
        *_daily(
            t._("Reviews per day"),
            t._("Last 14 days: {n} reviews", n=reviews),
            report.reviews,
            "reviews",
            ft.Colors.PRIMARY,
        ),
        *_daily(
            t._("Minutes studied per day"),
            t._("Last 14 days: {n} minutes", n=minutes),
            report.minutes,
            "minutes",
            ft.Colors.TERTIARY,
        ),
        heading(t._("Retention"), 18),
        ft.Text(
            t._(
                "You remembered {percent}% of your reviews in the last 30 days.",
                percent=round(100 * report.retention),
            )
            if report.retention is not None
            else t._("Not enough reviews yet."),
            key="retention",
        ),
        heading(t._("Words you know"), 18),
    ]
    for course, known, total in report.words:
        if not total:
            continue
        body.append(
            card(
                [
                    ft.Text(course.title.in_lang(lang), weight=ft.FontWeight.BOLD),
                    ft.Text(
                        t._("{known} of {total} words", known=known, total=total),
                        key=f"words-{course.id}",
                    ),
                    ft.ProgressBar(value=known / total),
                ]
            )
        )
    body.append(heading(t._("Units"), 18))
    if not report.units:
        body.append(ft.Text(t._("Finish a unit to see your progress here.")))
    for unit, progress, learned in report.units:
        course = ctl.library.course(unit.ref.course)
        body.append(
            card(
                [
                    ft.Text(
                        f"{course.title.in_lang(lang)} · "
                        + t._(
                            "Unit {number}: {title}",
                            number=unit.number,
                            title=unit.title.in_lang(lang),
                        ),
                        weight=ft.FontWeight.BOLD,
                    ),
                    ft.Text(
                        t._(
                            "Best score {best}% · {learned}% of its words learned",
                            best=progress.best_percent,
                            learned=round(100 * learned),
                        ),
                        key=f"mastery-{unit.ref.course}-{unit.ref.unit}",
                    ),
                    ft.ProgressBar(value=learned),
                ]
            )
        )
    body.append(heading(t._("Export"), 18))
    body.append(
        ft.Text(
            t._("Your words as an Anki deck, and your words and reviews as spreadsheets (CSV).")
        )
    )
    body.append(
        ft.OutlinedButton(
            t._("Export my words and reviews"),
            icon=ft.Icons.DOWNLOAD,
            key="export",
            on_click=lambda: ctl.export(ctl.export_dir),
        )
    )
    if ctl.state.exported:
        body.append(ft.Text(t._("Saved:"), weight=ft.FontWeight.BOLD))
        body += [
            ft.Text(path, size=12, selectable=True, key=f"exported-{i}")
            for i, path in enumerate(ctl.state.exported)
        ]
    return screen(top_bar(t._("Progress"), t, ctl.back), body)
