"""One HTTP POST to a checked :class:`~labeling.webhooks.addresses.Target`.

The connection goes to the address that was checked (no second name resolution), TLS is
verified against the URL's host name (SNI and certificate), redirects are not followed (a
3xx is a failed attempt), and at most a few KiB of the answer are read.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from dataclasses import dataclass

from labeling.webhooks.addresses import Target

__all__ = ["SendResult", "send"]

_USER_AGENT = "Khatem-Webhooks/1"
_READ_AT_MOST = 4096


@dataclass(frozen=True, slots=True)
class SendResult:
    status_code: int | None
    error: str | None
    duration_ms: int

    @property
    def delivered(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, target: Target, timeout: float, context: ssl.SSLContext) -> None:
        super().__init__(target.host, target.port, timeout=timeout, context=context)
        self._address = target.address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


def send(target: Target, headers: dict[str, str], body: bytes, *, timeout: float) -> SendResult:
    """POST ``body``; never raises for network trouble (it is an ``error`` code)."""
    started = time.monotonic()
    connection: http.client.HTTPConnection
    if target.scheme == "https":
        connection = _PinnedHTTPSConnection(target, timeout, ssl.create_default_context())
    else:
        connection = _PinnedHTTPConnection(target, timeout)
    all_headers = {
        **headers,
        "Host": target.host_header,
        "Content-Type": "application/json",
        "User-Agent": _USER_AGENT,
        "Content-Length": str(len(body)),
    }
    status: int | None = None
    error: str | None = None
    try:
        connection.request("POST", target.path, body=body, headers=all_headers)
        response = connection.getresponse()
        status = response.status
        response.read(_READ_AT_MOST)
        if 300 <= status < 400:
            error = "redirect_not_followed"
    except ssl.SSLError:
        error = "tls_error"
    except TimeoutError:
        error = "timeout"
    except (ConnectionError, OSError):
        error = "connection_failed"
    except http.client.HTTPException:
        error = "bad_response"
    finally:
        connection.close()
    return SendResult(status, error, int((time.monotonic() - started) * 1000))
