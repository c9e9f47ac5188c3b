"""Text-to-speech voices behind one Protocol: gTTS online, espeak-ng offline."""

from __future__ import annotations

import logging
import os
import shutil
import socket
import subprocess
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal, Protocol

log = logging.getLogger(__name__)

GOOGLE_TTS_HOST = "translate.google.com"  # the host gTTS posts to (gtts.utils._translate_url)
VoiceChoice = Literal["auto", "gtts", "espeak"]
VOICE_CHOICES: tuple[VoiceChoice, ...] = ("auto", "gtts", "espeak")


class SynthesisError(RuntimeError):
    """A voice could not make a clip; no file was left behind."""


class VoiceUnreachable(SynthesisError):
    """The voice's service could not be reached (refused, timed out, no DNS): try another voice."""


class Voice(Protocol):
    """Anything that turns Korean text into an audio file."""

    @property
    def name(self) -> str: ...

    def synthesize(self, text: str, out: Path) -> None:
        """Write speech for `text` to `out`, or raise SynthesisError leaving no file."""
        ...


def write_atomically(out: Path, produce: Callable[[Path], None]) -> None:
    """Let `produce` write a temp file next to `out`, then rename it; never leave a partial file."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.{id(produce):x}.part")
    try:
        produce(tmp)
        if not tmp.is_file() or tmp.stat().st_size == 0:
            raise SynthesisError(f"no audio was written for {out.name}")
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)


class GttsVoice:
    """Google Translate's voice through gTTS (MP3, 24 kHz mono); needs the network."""

    name = "gtts"
    # Google answers bursts of parallel requests with 429; two at a time is polite enough.
    _in_flight = threading.BoundedSemaphore(2)

    def __init__(self, timeout: float = 10.0, tld: str = "com") -> None:
        self.timeout = timeout  # seconds, for the connect and for each read
        self.tld = tld

    def request(self, text: str) -> Any:
        """The gTTS object for `text`, ready to send (tests inspect its request bodies)."""
        from gtts import gTTS  # imported here so the offline path never needs it

        if not text.strip():
            raise SynthesisError("nothing to say")
        return gTTS(text, lang="ko", slow=False, tld=self.tld, timeout=self.timeout)

    def synthesize(self, text: str, out: Path) -> None:
        from gtts import gTTSError

        tts = self.request(text)

        def produce(tmp: Path) -> None:
            try:
                with self._in_flight:
                    tts.save(str(tmp))
            except gTTSError as exc:
                if exc.rsp is None:  # no HTTP response at all: refused, timed out, no DNS
                    raise VoiceUnreachable(f"gTTS: {exc}") from exc
                raise SynthesisError(f"gTTS: {exc}") from exc

        write_atomically(out, produce)


class EspeakVoice:
    """espeak-ng's Korean voice (WAV, 22.05 kHz mono); works offline."""

    name = "espeak"

    def __init__(self, binary: str | None = None, timeout: float = 60.0) -> None:
        found = binary or shutil.which("espeak-ng")
        if found is None:
            raise SynthesisError("espeak-ng is not installed (apt-get install espeak-ng)")
        self.binary = found
        self.timeout = timeout

    def synthesize(self, text: str, out: Path) -> None:
        if not text.strip():
            raise SynthesisError("nothing to say")

        def produce(tmp: Path) -> None:
            # Text on stdin (-b 1: UTF-8), so a text starting with "-" is never read as an option.
            done = subprocess.run(
                [self.binary, "-v", "ko", "-b", "1", "-w", str(tmp)],
                input=text.encode("utf-8"),
                capture_output=True,
                timeout=self.timeout,
                check=False,
            )
            # espeak-ng exits 0 even when it cannot write the file, so check the stderr too.
            if done.returncode != 0 or done.stderr.strip():
                message = done.stderr.decode("utf-8", "replace").strip()
                raise SynthesisError(f"espeak-ng failed ({done.returncode}): {message}")

        write_atomically(out, produce)


class FallbackVoice:
    """Try the primary voice; when it fails, make that clip with the fallback instead."""

    # After this many failures in a row the primary is given up for the run: waiting for a
    # timeout on each of a thousand clips would turn minutes into hours.
    GIVE_UP_AFTER = 3

    def __init__(self, primary: Voice, fallback: Voice) -> None:
        self.primary = primary
        self.fallback = fallback
        self.failures_in_a_row = 0
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return self.primary.name

    def synthesize(self, text: str, out: Path) -> None:
        self.synthesize_by(text, out)

    def synthesize_by(self, text: str, out: Path) -> str:
        """Synthesize and return the name of the voice that actually made the clip."""
        if self.failures_in_a_row < self.GIVE_UP_AFTER:
            try:
                self.primary.synthesize(text, out)
            except SynthesisError as exc:
                with self._lock:
                    self.failures_in_a_row += 1
                    given_up = self.failures_in_a_row == self.GIVE_UP_AFTER
                log.warning("%s; %r made with %s instead", exc, text, self.fallback.name)
                if given_up:
                    log.warning(
                        "%s failed %d times in a row; using %s for the rest of this run",
                        self.primary.name,
                        self.GIVE_UP_AFTER,
                        self.fallback.name,
                    )
            else:
                with self._lock:
                    self.failures_in_a_row = 0
                return self.primary.name
        self.fallback.synthesize(text, out)
        return self.fallback.name


def synthesize_by(voice: Voice, text: str, out: Path) -> str:
    """Synthesize with `voice`; return the name of the voice that made the clip."""
    if isinstance(voice, FallbackVoice):
        return voice.synthesize_by(text, out)
    voice.synthesize(text, out)
    return voice.name


def reachable(host: str = GOOGLE_TTS_HOST, port: int = 443, timeout: float = 3.0) -> bool:
    """True if a TCP connection to host:port opens within `timeout` seconds."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def choose_voice(
    choice: VoiceChoice = "auto", is_reachable: Callable[[], bool] = reachable
) -> Voice:
    """The voice for a run: gTTS if asked or reachable (falling back per clip), else espeak-ng."""
    if choice == "espeak":
        return EspeakVoice()
    if choice == "gtts":
        return GttsVoice()
    if choice != "auto":
        raise ValueError(f"unknown voice {choice!r}; choose one of {', '.join(VOICE_CHOICES)}")
    if is_reachable():
        return FallbackVoice(GttsVoice(), EspeakVoice())
    log.info("%s is not reachable; using espeak-ng", GOOGLE_TTS_HOST)
    return EspeakVoice()
