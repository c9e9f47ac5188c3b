"""Hybrid logical clocks and UUIDv7 ids for sync events (pure: time and randomness come in).

An HLC timestamp is (wall milliseconds, counter). It never goes backwards on one device, and
after a device has seen another device's event its next timestamp sorts after that event, even
when its own clock is hours behind. Encoded as fixed-width text, so text order is clock order.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Hlc:
    wall_ms: int
    counter: int = 0

    def encode(self) -> str:
        return f"{self.wall_ms:015d}.{self.counter:06d}"

    @staticmethod
    def decode(text: str) -> Hlc:
        wall, _, counter = text.partition(".")
        if not (wall.isdigit() and counter.isdigit()):
            raise ValueError(f"not an HLC timestamp: {text!r}")
        return Hlc(int(wall), int(counter))


def tick(last: Hlc | None, now_ms: int) -> Hlc:
    """The timestamp of a new local event."""
    if last is None or now_ms > last.wall_ms:
        return Hlc(now_ms, 0)
    return Hlc(last.wall_ms, last.counter + 1)


def receive(last: Hlc | None, remote: Hlc, now_ms: int) -> Hlc:
    """The clock after seeing a remote event: later than both it and everything local."""
    local = last or Hlc(0, 0)
    wall = max(local.wall_ms, remote.wall_ms, now_ms)
    if wall == local.wall_ms == remote.wall_ms:
        return Hlc(wall, max(local.counter, remote.counter) + 1)
    if wall == local.wall_ms:
        return Hlc(wall, local.counter + 1)
    if wall == remote.wall_ms:
        return Hlc(wall, remote.counter + 1)
    return Hlc(wall, 0)


def uuid7(now_ms: int, random_bytes: bytes) -> str:
    """A UUIDv7 (RFC 9562): 48-bit milliseconds, then 74 random bits; sorts by time."""
    if len(random_bytes) < 10:
        raise ValueError("uuid7 needs 10 random bytes")
    value = (now_ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    rand = int.from_bytes(random_bytes[:10], "big")
    value |= ((rand >> 68) & 0xFFF) << 64  # rand_a: 12 bits
    value |= 0b10 << 62  # variant
    value |= rand & ((1 << 62) - 1)  # rand_b: 62 bits
    return str(uuid.UUID(int=value))
