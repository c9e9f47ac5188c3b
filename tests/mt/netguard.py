"""Fail any network use other than this machine's loopback: for tests, in-process or not.

`install()` patches the socket module so that connecting, sending to or resolving anything
but the loopback raises `NetworkBlocked` *before* the real call (so nothing leaves the
machine) and records the attempt; with `log` set, each attempt is also appended to that file,
which is how a test sees attempts made in a subprocess (see guarded/sitecustomize.py).

Standalone on purpose (no imports from the project): sitecustomize loads it by path.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from typing import Any

LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", ""}


class NetworkBlocked(OSError):
    pass


def is_local(host: object) -> bool:
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str):
        return False
    if host.lower() in LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


class Guard:
    def __init__(self, log: str | None = None) -> None:
        self.attempts: list[str] = []
        self.log = log
        self._undo: list[Callable[[], None]] = []

    def blocked(self, what: str) -> NetworkBlocked:
        self.attempts.append(what)
        if self.log:
            with open(self.log, "a", encoding="utf-8") as out:
                out.write(what + "\n")
        return NetworkBlocked(f"network use blocked in tests: {what}")

    def _checked(self, sock: socket.socket, address: Any, what: str) -> None:
        if sock.family == getattr(socket, "AF_UNIX", None):
            return
        host = address[0] if isinstance(address, tuple) and address else address
        if not is_local(host):
            raise self.blocked(f"{what} {address!r}")

    def _patch(self, owner: Any, name: str, make: Callable[[Any], Any]) -> None:
        original = getattr(owner, name)
        setattr(owner, name, make(original))
        self._undo.append(lambda: setattr(owner, name, original))

    def install(self) -> Guard:
        guard = self

        def connect(real: Any) -> Any:
            def guarded(sock: socket.socket, address: Any) -> Any:
                guard._checked(sock, address, "connect")
                return real(sock, address)

            return guarded

        def connect_ex(real: Any) -> Any:
            def guarded(sock: socket.socket, address: Any) -> Any:
                guard._checked(sock, address, "connect_ex")
                return real(sock, address)

            return guarded

        def sendto(real: Any) -> Any:
            def guarded(sock: socket.socket, data: Any, *args: Any) -> Any:
                guard._checked(sock, args[-1], "sendto")
                return real(sock, data, *args)

            return guarded

        def getaddrinfo(real: Any) -> Any:
            def guarded(host: Any, *args: Any, **kwargs: Any) -> Any:
                if not is_local(host):
                    raise guard.blocked(f"getaddrinfo {host!r}")
                return real(host, *args, **kwargs)

            return guarded

        def gethostbyname(real: Any) -> Any:
            def guarded(host: Any) -> Any:
                if not is_local(host):
                    raise guard.blocked(f"gethostbyname {host!r}")
                return real(host)

            return guarded

        self._patch(socket.socket, "connect", connect)
        self._patch(socket.socket, "connect_ex", connect_ex)
        self._patch(socket.socket, "sendto", sendto)
        self._patch(socket, "getaddrinfo", getaddrinfo)
        self._patch(socket, "gethostbyname", gethostbyname)
        return self

    def uninstall(self) -> None:
        while self._undo:
            self._undo.pop()()
