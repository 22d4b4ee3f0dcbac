"""The HTTP server's own answers: a request too malformed for the app to see is a problem too.

uvicorn refuses a request its parser cannot read — a request line or header block over the
parser's limit (httptools: about 80 KiB; h11: its incomplete-event limit), bytes that are
not HTTP/1.1 — with a plain-text ``400 Invalid HTTP request received.``, before the
application sees anything. Every other error of the registry is RFC 9457
``application/problem+json`` (core.problems); these protocol classes make this one so too
(``malformed-request``), for whichever parser uvicorn would pick (httptools when installed,
else h11). ``khatem serve`` passes :func:`http_protocol` to uvicorn.
"""

from __future__ import annotations

import asyncio
import json
from functools import cache
from typing import Final

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from core.problems import PROBLEM_BASE, PROBLEM_MEDIA_TYPE

__all__ = ["MALFORMED_REQUEST", "ProblemH11Protocol", "http_protocol"]

#: The body of the answer to a request the server cannot read.
MALFORMED_REQUEST: Final = json.dumps(
    {
        "type": PROBLEM_BASE + "malformed-request",
        "title": "Malformed HTTP request",
        "status": 400,
        "detail": "The server could not read this request: its request line or headers are "
        "too long (keep a GET under 8 KiB) or it is not HTTP/1.1.",
    },
    separators=(",", ":"),
).encode("ascii")

_HEADERS: Final = [
    (b"content-type", PROBLEM_MEDIA_TYPE.encode("ascii")),
    (b"content-length", str(len(MALFORMED_REQUEST)).encode("ascii")),
    (b"connection", b"close"),
]


class ProblemH11Protocol(H11Protocol):
    """uvicorn's h11 protocol whose unreadable-request answer is a problem (see above)."""

    def send_400_response(self, msg: str) -> None:
        self.transport.write(
            self.conn.send(h11.Response(status_code=400, headers=_HEADERS, reason=b"Bad Request"))
        )
        self.transport.write(self.conn.send(h11.Data(data=MALFORMED_REQUEST)))
        self.transport.write(self.conn.send(h11.EndOfMessage()))
        self.transport.close()


@cache
def http_protocol() -> type[asyncio.Protocol]:
    """The protocol class ``khatem serve`` gives uvicorn: httptools (uvicorn's own choice
    when it is installed, the faster) or h11, each answering a problem."""
    try:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
    except ImportError:
        return ProblemH11Protocol

    class ProblemHttpToolsProtocol(HttpToolsProtocol):
        """uvicorn's httptools protocol whose unreadable-request answer is a problem."""

        def send_400_response(self, msg: str) -> None:
            head = [b"HTTP/1.1 400 Bad Request\r\n"]
            for name, value in self.server_state.default_headers:
                head.append(name + b": " + value + b"\r\n")
            for name, value in _HEADERS:
                head.append(name + b": " + value + b"\r\n")
            self.transport.write(b"".join([*head, b"\r\n", MALFORMED_REQUEST]))
            self.transport.close()

    return ProblemHttpToolsProtocol
