"""A webhook receiver on 127.0.0.1 for the tests: it verifies signatures as a retailer
would (the ``standardwebhooks`` reference library) and keeps what it received."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

__all__ = ["Delivery", "Receiver", "receiver"]


@dataclass
class Delivery:
    headers: dict[str, str]
    body: bytes
    verified: dict[str, Any] | None


@dataclass
class Receiver:
    url: str
    secret: str | None = None
    #: The status the next requests get, in order (then ``default_status``).
    statuses: list[int] = field(default_factory=list)
    default_status: int = 200
    location: str | None = None
    received: list[Delivery] = field(default_factory=list)
    #: Called once a request is received, before it is answered (the kill test blocks here).
    on_request: Callable[[], None] | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def ids(self) -> list[str]:
        with self.lock:
            return [d.headers.get("webhook-id", "") for d in self.received]


def _handler(state: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            headers = {k.lower(): v for k, v in self.headers.items()}
            verified = None
            if state.secret is not None:
                try:
                    verified = Webhook(state.secret).verify(body, headers)
                except WebhookVerificationError:
                    verified = None
            with state.lock:
                state.received.append(Delivery(headers, body, verified))
                code = state.statuses.pop(0) if state.statuses else state.default_status
            if state.on_request is not None:
                state.on_request()
            self.send_response(code)
            if state.location:
                self.send_header("Location", state.location)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

    return Handler


@contextmanager
def receiver(**kwargs: Any) -> Iterator[Receiver]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(Receiver(url="")))
    state = Receiver(url=f"http://127.0.0.1:{server.server_address[1]}/hooks/khatem", **kwargs)
    server.RequestHandlerClass = _handler(state)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
