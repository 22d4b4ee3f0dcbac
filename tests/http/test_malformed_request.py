"""A request the HTTP server cannot read (an oversize request line or header block) is an
``application/problem+json`` 400 like every other error (core.http_server), with the parser
``khatem serve`` runs (httptools) and with h11."""

from __future__ import annotations

import asyncio
import json
import select
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from typer.testing import CliRunner

from core.http_server import ProblemH11Protocol, http_protocol
from core.settings import get_settings

PROTOCOLS = {"httptools": http_protocol(), "h11": ProblemH11Protocol}


async def _hello(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "http":
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"hello"})


@pytest.fixture(params=sorted(PROTOCOLS))
def server(request: pytest.FixtureRequest) -> Iterator[int]:
    protocol: type[asyncio.Protocol] = PROTOCOLS[request.param]
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(_hello, http=protocol, log_level="critical", lifespan="off")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not instance.started:
        assert thread.is_alive(), "uvicorn did not start"
        threading.Event().wait(0.02)
    yield sock.getsockname()[1]
    instance.should_exit = True
    thread.join(timeout=20)
    sock.close()


def _exchange(port: int, request: bytes) -> tuple[bytes, dict[str, str], bytes]:
    """Send raw bytes, 16 KiB at a time, until the answer starts (a server refusing a huge
    request answers before reading all of it); its status line, headers and body."""
    with socket.create_connection(("127.0.0.1", port), timeout=20) as connection:
        sent = 0
        while sent < len(request):
            if select.select([connection], [], [], 0)[0]:
                break
            try:
                sent += connection.send(request[sent : sent + 16_384])
            except (BrokenPipeError, ConnectionResetError):
                break
        answer = b""
        try:
            while chunk := connection.recv(65536):
                answer += chunk
        except ConnectionResetError:
            pass  # closed with some of the request unread: what was answered is here
    head, _, body = answer.partition(b"\r\n\r\n")
    status, *lines = head.split(b"\r\n")
    headers = {}
    for line in lines:
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, body


def test_an_oversize_request_line_is_a_problem(server: int) -> None:
    status, headers, body = _exchange(server, b"GET /" + b"a" * 1_000_000 + b" HTTP/1.1\r\n\r\n")
    assert status == b"HTTP/1.1 400 Bad Request"
    assert headers["content-type"] == "application/problem+json"
    assert int(headers["content-length"]) == len(body)
    problem = json.loads(body)
    assert problem["type"] == "https://khatem.ma/problems/malformed-request"
    assert problem["status"] == 400 and problem["title"]


def test_bytes_that_are_not_http_are_a_problem(server: int) -> None:
    status, headers, body = _exchange(server, b"\x16\x03\x01 not http at all\r\n\r\n")
    assert status == b"HTTP/1.1 400 Bad Request"
    assert headers["content-type"] == "application/problem+json"
    assert json.loads(body)["status"] == 400


def test_a_request_within_the_limits_is_answered_by_the_app(server: int) -> None:
    status, _, body = _exchange(
        server, b"GET /" + b"a" * 8_000 + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    assert status == b"HTTP/1.1 200 OK" and b"hello" in body


def test_khatem_serve_runs_uvicorn_with_the_problem_protocol(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from labeling.cli import app as cli

    monkeypatch.setenv("KHATEM_BIND_HOST", "127.0.0.1")
    monkeypatch.setenv("KHATEM_BIND_PORT", "8000")
    monkeypatch.setenv("KHATEM_ENVIRONMENT", "test")
    monkeypatch.setenv("KHATEM_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KHATEM_DATABASE_URL", f"sqlite:///{tmp_path / 'data' / 'khatem.db'}")
    get_settings.cache_clear()
    served: list[dict[str, Any]] = []
    monkeypatch.setattr("uvicorn.run", lambda target, **options: served.append(options))
    try:
        result = CliRunner().invoke(cli, ["serve"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    [options] = served
    assert options["http"] is http_protocol()
    assert options["http"].__name__.startswith("ProblemHttpTools")
