"""What every clip is (format, rate, pause), shared by the pipeline and the app without pydub."""

from __future__ import annotations

EXTENSION = "mp3"  # why MP3: see app/media/process.py
BITRATE = "32k"
FRAME_RATE = 24_000  # gTTS speaks at 24 kHz; espeak-ng's 22.05 kHz is resampled to match
PAUSE_MS = 400  # between dialogue lines: long enough to hear a turn, short enough to flow
