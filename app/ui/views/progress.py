"""Progress: reviews and study time per day, retention, words known, and mastery per unit."""

from __future__ import annotations

import math
from datetime import date

import flet as ft
import flet_charts as fc

from app.i18n.catalog import Translator
from app.ui.controller import Controller
from app.ui.widgets import card, heading, screen, top_bar


def _bars(days: list[tuple[date, int]], key: str, color: str, t: Translator) -> ft.Control:
    """A small bar chart of one number per day, labelled with the day of the month.

    The axis labels are written by the app, in the locale's digits, not by the chart."""
    top = max((count for _, count in days), default=0)
    step = max(1, math.ceil(top / 4))  # about four whole-number gridlines, whatever the counts
    chart: ft.Control = fc.BarChart(
        key=key,
        height=160,
        max_y=step * 4,  # top <= 4 * step, always
        interactive=False,
        groups=[
            fc.BarChartGroup(x=i, rods=[fc.BarChartRod(to_y=count, width=12, color=color)])
            for i, (_, count) in enumerate(days)
        ],
        bottom_axis=fc.ChartAxis(
            labels=[
                fc.ChartAxisLabel(value=i, label=ft.Text(t.number(day.day), size=10))
                for i, (day, _) in enumerate(days)
                if (len(days) - 1 - i) % 2 == 0  # every other day, counting back from today
            ],
            label_size=20,
        ),
        left_axis=fc.ChartAxis(
            labels=[
                fc.ChartAxisLabel(value=step * i, label=ft.Text(t.number(step * i), size=10))
                for i in range(5)
            ],
            label_size=36,
            label_spacing=step,
        ),
    )
    return chart


def _daily(
    title: str, total: str, days: list[tuple[date, int]], name: str, color: str, t: Translator
) -> list[ft.Control]:
    """A heading, the 14-day total and the chart of one daily measure."""
    return [
        heading(title, 18),
        ft.Text(total, size=12, key=f"{name}-total"),
        _bars(days, f"chart-{name}", color, t),
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
            t,
        ),
        *_daily(
            t._("Minutes studied per day"),
            t._("Last 14 days: {n} minutes", n=minutes),
            report.minutes,
            "minutes",
            ft.Colors.TERTIARY,
            t,
        ),
        heading(t._("Retention"), 18),
        ft.Text(
            t._(
                "You remembered {percent} of your reviews in the last 30 days.",
                percent=t.percent(round(report.retention, 2)),
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
                            "Best score {best} · {learned} of its words learned",
                            best=t.percent(progress.best_percent / 100),
                            learned=t.percent(round(learned, 2)),
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
