"""Helpers for the media tests: a counting voice, one build, Google's answer format."""

from __future__ import annotations

import io
import json
from base64 import b64encode
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
import urllib3
from requests.adapters import HTTPAdapter

from app.media.build import Report, build
from app.media.cache import make_plan, needs_of
from app.media.clips import CourseClips


@dataclass
class CountingVoice:
    """A real voice that records what it was asked to say."""

    inner: Any
    said: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return str(self.inner.name)

    def synthesize(self, text: str, out: Path) -> None:
        self.said.append(text)
        self.inner.synthesize(text, out)


def run(clips: CourseClips, audio_dir: Path, voice: Any) -> Report:
    """One build, as the CLI does it."""
    needs = needs_of([clips])
    return build(make_plan(needs, audio_dir, voice.name), needs, audio_dir, voice, jobs=2)


def batchexecute_body(mp3: bytes) -> bytes:
    """A response in the format translate.google.com's batchexecute endpoint answers with."""
    payload = json.dumps([b64encode(mp3).decode("ascii")])
    frame = json.dumps(
        [
            ["wrb.fr", "jQ1olc", payload, None, None, None, "generic"],
            ["di", 63],
            ["af.httprm", 62, "-6431806213018412510", 2],
        ],
        separators=(",", ":"),
    )
    tail = json.dumps([["e", 4, None, None, len(frame) + 40]], separators=(",", ":"))
    return f")]}}'\n\n{len(frame)}\n{frame}\n{len(tail)}\n{tail}\n".encode()


class RecordedGoogle(HTTPAdapter):
    """Answers gTTS's POSTs like Google does, without a network; keeps what it was sent."""

    def __init__(self, mp3: bytes, status: int = 200, body: bytes | None = None) -> None:
        super().__init__()
        self.body = body if body is not None else batchexecute_body(mp3)
        self.status = status
        self.sent: list[requests.PreparedRequest] = []

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
        self.sent.append(request)
        raw = urllib3.HTTPResponse(
            body=io.BytesIO(self.body),
            headers={"Content-Type": "application/json; charset=utf-8"},
            status=self.status,
            reason="OK" if self.status == 200 else "Error",
            preload_content=False,
        )
        return self.build_response(request, raw)
