"""Fixtures of the HTTP-conventions suite: the verification fixtures (a registry with a
registered label key, a certified cooperative, labels issued through the API), the registry
on a real loopback socket, a retailer's page on another, and Debian's Chromium."""

from __future__ import annotations

import shutil
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI

from labeling.verification.service import forget_registry
from schemas.keys import SigningKey
from tests.labels.fixtures import *  # noqa: F403
from tests.tools import require
from tests.verification.fixtures import *  # noqa: F403

RETAILER_PAGE = b"""<!doctype html><html><head><meta charset="utf-8">
<title>Receiving dock</title></head><body><h1>Receiving dock</h1></body></html>"""


def _free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    return sock


@pytest.fixture
def registry(labels_app: FastAPI, label_key: SigningKey) -> Iterator[str]:
    """The registry on a real loopback socket (uvicorn in a thread)."""
    sock = _free_socket()
    server = uvicorn.Server(uvicorn.Config(labels_app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            pytest.fail("the registry did not start")
        threading.Event().wait(0.05)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    server.should_exit = True
    thread.join(timeout=20)
    sock.close()
    forget_registry(labels_app.state.settings)


class _Page(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the http.server convention
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(RETAILER_PAGE)))
        self.end_headers()
        self.wfile.write(RETAILER_PAGE)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        return


@pytest.fixture
def retailer() -> Iterator[str]:
    """The retailer's page, on another loopback port: another origin."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=20)


@pytest.fixture
def browser() -> Iterator[Any]:
    require(shutil.which("chromium") is not None, "chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=shutil.which("chromium"))
        yield instance
        instance.close()
