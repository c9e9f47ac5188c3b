"""Settings: a list of sections, each a card with a heading (interface language first).

A new section is a function `(Controller) -> ft.Control` appended to SECTIONS; build it with
`section()` so every section looks alike and carries a key tests can find.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import flet as ft

from app.i18n.catalog import LANGUAGES, Translator
from app.ui.controller import Controller
from app.ui.widgets import card, heading, screen, top_bar


def section(key: str, title: str, controls: Sequence[ft.Control]) -> ft.Control:
    """One settings section: a heading, then its controls, in a card."""
    return card([heading(title, 18), *controls], key=f"settings-{key}")


def language_section(ctl: Controller) -> ft.Control:
    """The interface language, changeable at any time; each language named in its own words."""
    t = ctl.t
    current = ctl.state.lang
    choices: list[ft.Control] = []
    for code, own_name in LANGUAGES.items():
        label = own_name if code == current else f"{own_name} · {t.language_name(code)}"
        if code == current:
            choices.append(ft.FilledButton(label, icon=ft.Icons.CHECK, key=f"settings-lang-{code}"))
        else:
            choices.append(
                ft.OutlinedButton(
                    label,
                    key=f"settings-lang-{code}",
                    on_click=lambda _e=None, code=code: ctl.change_language(code),
                )
            )
    return section(
        "language",
        t._("Interface language"),
        [
            ft.Text(t._("Menus, instructions and translations are shown in this language.")),
            ft.Row(choices, wrap=True, spacing=8, run_spacing=8),
        ],
    )


def sync_section(ctl: Controller) -> ft.Control:
    """Sync with the city's platform: sign in, agree to uploading, status in plain words."""
    t = ctl.t
    if ctl.syncing is None:
        return ft.Container()
    info = ctl.syncing.view()
    intro = t._(
        "Optional. Keeps your progress on all your devices and lets your tutor follow your "
        "class. Without an account everything works on this device."
    )
    controls: list[ft.Control] = [ft.Text(intro)]
    if not info.signed_in:
        server = ft.TextField(label=t._("Server address"), value=info.server, key="sync-server")
        user = ft.TextField(label=t._("Username"), value=info.username, key="sync-username")
        password = ft.TextField(
            label=t._("Password"), password=True, can_reveal_password=True, key="sync-password"
        )

        def sign_in(register: bool) -> None:
            ctl.sync_sign_in(server.value or "", user.value or "", password.value or "", register)

        controls += [
            server,
            user,
            password,
            ft.Row(
                [
                    ft.FilledButton(
                        t._("Sign in"), key="sync-sign-in", on_click=lambda _e=None: sign_in(False)
                    ),
                    ft.OutlinedButton(
                        t._("Create an account"),
                        key="sync-register",
                        on_click=lambda _e=None: sign_in(True),
                    ),
                ],
                wrap=True,
            ),
        ]
    elif not info.consent:
        controls += [
            ft.Text(t._("Signed in as {name}.", name=info.username)),
            ft.Text(
                t._(
                    "Before anything is uploaded: the server will keep your answers, unit "
                    "results and reviews, with their times, so your other devices and your "
                    "tutor can see them. You can download or delete them at any time."
                ),
                key="sync-consent-text",
            ),
            ft.Row(
                [
                    ft.FilledButton(
                        t._("I agree"), key="sync-agree", on_click=lambda _e=None: ctl.sync_agree()
                    ),
                    ft.OutlinedButton(
                        t._("Sign out"),
                        key="sync-sign-out",
                        on_click=lambda _e=None: ctl.sync_sign_out(),
                    ),
                ],
                wrap=True,
            ),
        ]
    else:
        when = t.moment(info.last_synced) if info.last_synced else t._("not yet")
        controls += [
            ft.Text(
                t._("Signed in as {name} on {server}.", name=info.username, server=info.server)
            ),
            ft.Text(t._("Last synced: {when}", when=when), key="sync-last"),
            ft.Text(
                t.ngettext(
                    "{n} change waiting to be sent", "{n} changes waiting to be sent", info.pending
                ),
                key="sync-pending",
            ),
            ft.Row(
                [
                    ft.FilledButton(
                        t._("Sync now"),
                        icon=ft.Icons.SYNC,
                        key="sync-now",
                        disabled=info.busy,
                        on_click=lambda _e=None: ctl.sync_now(),
                    ),
                    ft.OutlinedButton(
                        t._("Sign out"),
                        key="sync-sign-out",
                        on_click=lambda _e=None: ctl.sync_sign_out(),
                    ),
                ],
                wrap=True,
            ),
        ]
        if info.rejected:
            controls.append(
                ft.Text(
                    t.ngettext(
                        "{n} change was refused by the server and is kept on this device",
                        "{n} changes were refused by the server and are kept on this device",
                        info.rejected,
                    )
                )
            )
    if info.busy:
        controls.append(ft.Row([ft.ProgressRing(width=16, height=16), ft.Text(t._("Syncing…"))]))
    if info.problem is not None:
        controls.append(
            ft.Text(
                problem_text(t, info.problem.value, info.detail),
                color=ft.Colors.ERROR,
                key="sync-problem",
            )
        )
    return section("sync", t._("Sync"), controls)


def problem_text(t: Translator, problem: str, detail: str) -> str:
    """A sync problem in the learner's language (the server's own words only as a detail)."""
    messages = {
        "offline": t._(
            "No connection to the server. Your progress is safe here; it is sent later."
        ),
        "bad_credentials": t._("The username or password is wrong, or the name is taken."),
        "signed_out": t._("This device was signed out. Sign in again."),
        "upgrade_required": t._("Update the app to sync again. Nothing you studied is lost."),
        "rate_limited": t._("The server is busy. Trying again soon."),
        "not_set_up": t._("Check the server address: it starts with http:// or https://."),
        "no_consent": t._("Agree to the upload first."),
    }
    return messages.get(problem, t._("The server had a problem: {detail}", detail=detail))


def translation_section(ctl: Controller) -> ft.Control:
    """Offline translation models: install from a file, list, remove."""
    t = ctl.t
    if ctl.machine is None:
        return ft.Container()
    models = ctl.translation_models()
    path = ft.TextField(label=t._("Model file (.argosmodel) on this computer"), key="model-path")
    controls: list[ft.Control] = [
        ft.Text(
            t._(
                "Where a line has no translation in your language, the app can translate it "
                "from English on this device. Install a translation model file (from a USB "
                "stick or a download); no internet is needed."
            )
        ),
        ft.Row(
            [
                ft.Container(path, expand=True),
                ft.FilledButton(
                    t._("Install"),
                    key="model-install",
                    on_click=lambda _e=None: ctl.install_model(path.value or ""),
                ),
            ]
        ),
    ]
    if not models:
        controls.append(ft.Text(t._("No models installed."), key="model-none"))
    for info in models:
        controls.append(
            ft.Row(
                [
                    ft.Text(
                        f"{t.language_name(info.source)} → {t.language_name(info.target)} · "
                        f"{info.name} · {t.megabytes(info.size)}",
                        expand=True,
                    ),
                    ft.OutlinedButton(
                        t._("Remove"),
                        key=f"model-remove-{info.name}",
                        on_click=lambda _e=None, name=info.name: ctl.remove_model(name),
                    ),
                ]
            )
        )
    event = ctl.state.model_event
    if event is not None:
        message = ctl.state.model_message or ""
        text = {
            "installed": t._("Installed: {model}", model=message),
            "removed": t._("Removed: {model}", model=message),
        }.get(event, t._("Not installed: {problem}", problem=message))
        controls.append(
            ft.Text(text, key="model-message", color=ft.Colors.ERROR if event == "failed" else None)
        )
    return section("translation", t._("Offline translation"), controls)


SECTIONS: list[Callable[[Controller], ft.Control]] = [
    language_section,
    sync_section,
    translation_section,
]


def view(ctl: Controller) -> ft.Control:
    t = ctl.t
    return screen(top_bar(t._("Settings"), t, ctl.back), [part(ctl) for part in SECTIONS])
