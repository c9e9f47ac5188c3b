"""What the browser tests share: the app served with --web in a real process, Debian's
Chromium with every non-local request blocked, Flutter's accessibility tree, screenshots."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from playwright.sync_api import Browser, Locator, Page, Route

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
CHROMIUM = os.environ.get("SSOC_CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class WebApp:
    """`python -m app --web` as a real process on a free port."""

    def __init__(self, lessons: Path, data: Path, assets: Path) -> None:
        self.lessons, self.data, self.assets = lessons, data, assets
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.log = data.parent / f"web-{self.port}.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self) -> None:
        with self.log.open("ab") as handle:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "app",
                    "--web",
                    "--port",
                    str(self.port),
                    "--lessons",
                    str(self.lessons),
                    "--data-dir",
                    str(self.data),
                    "--assets",
                    str(self.assets),
                ],
                cwd=ROOT,
                stdout=handle,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"app exited: {self.log.read_text()}")
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.2)
        raise RuntimeError(f"app did not listen: {self.log.read_text()}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=20)
            self.process = None


def offline_page(browser: Browser, blocked: list[str], requested: list[str] | None = None) -> Page:
    """A page that may only talk to this computer; refused URLs go to `blocked`, and every
    URL asked for to `requested`."""
    page = browser.new_page(viewport={"width": 480, "height": 900})

    def only_local(route: Route) -> None:
        url = route.request.url
        if requested is not None:
            requested.append(url)
        if url.startswith(("http://127.0.0.1", "blob:", "data:")):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    page.route("**/*", only_local)
    return page


def open_app(page: Page, url: str) -> None:
    page.goto(url)
    # Flutter builds its accessibility tree only when asked: the placeholder asks.
    page.locator("flt-semantics-placeholder").wait_for(state="attached", timeout=60_000)
    page.locator("flt-semantics-placeholder").dispatch_event("click")


def shows(page: Page, text: str) -> Locator:
    """Visible text. Flutter merges a card's texts into one node (or its label), so match a
    substring of either."""
    return page.get_by_text(text).or_(page.get_by_label(text)).first


def button(page: Page, name: str) -> Locator:
    return page.get_by_role("button", name=name, exact=True)


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(400)  # the accessibility tree updates before the next frame paints
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
