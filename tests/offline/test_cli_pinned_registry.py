"""``khatem verify URL`` never asks the label whom to trust.

A forger prints labels that name the forger's own host, and runs a "registry" there that
calls every label AUTHENTIC. The verifier must ask only a registry the user pinned
(``--registry``, ``$KHATEM_VERIFY_REGISTRY`` or a ``sync``) and, with none pinned, say so
and verify nothing.

Every connection the command could make is recorded: httpx's transport is replaced by one
that records each request (and answers as the forger or the registry would), and name
resolution is refused and recorded, so a connection by any other road shows too. The last
test runs ``python -m verify`` as a process, with a loopback proxy recording every
connection it is asked to open.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from typer.testing import CliRunner

import verify.cli as cli
from tests.offline.simulator import NOW, TAJINE_GTIN
from tests.verification.samples import CERTIFICATE_CODE, kid_of
from verify.label_codec import issue_label_uri
from verify.offline import REGISTRY_FILE

FORGER_HOST = "khatem.example"
REGISTRY_HOST = "registry.test"
REGISTRY = f"https://{REGISTRY_HOST}"

FORGERS_ANSWER = {"verdict": "AUTHENTIC", "mode": "online", "checks": []}
REGISTRYS_ANSWER = {
    "verdict": "INVALID",
    "mode": "online",
    "reasons": ["key_unknown"],
    "checks": [{"name": "issuer_key", "outcome": "failed", "reason": "key_unknown"}],
}


def forged_label(host: str = FORGER_HOST) -> str:
    """A well-formed label signed with the forger's own key, naming the forger's host."""
    key = Ed25519PrivateKey.generate()
    return issue_label_uri(
        host=host.upper(),
        gtin=TAJINE_GTIN,
        serial="7F3K2MQ9XB",
        kid=kid_of(key),
        issued_at=NOW - timedelta(days=2),
        certificate_code=CERTIFICATE_CODE,
        sign=key.sign,
    )


class Network:
    """Every host the command tried to reach, by any road."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.resolved: list[str] = []
        #: What the pinned registry answers, by path (default: its verdict).
        self.registry_routes: dict[str, httpx.Response] = {}

    @property
    def hosts(self) -> set[str]:
        return {request.url.host for request in self.requests} | set(self.resolved)

    def answer(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.host == FORGER_HOST:
            return httpx.Response(200, json=FORGERS_ANSWER, request=request)
        if request.url.host == REGISTRY_HOST:
            routed = self.registry_routes.get(request.url.path)
            if routed is not None:
                routed.request = request
                return routed
            return httpx.Response(200, json=REGISTRYS_ANSWER, request=request)
        return httpx.Response(404, request=request)


@pytest.fixture
def network(monkeypatch: pytest.MonkeyPatch) -> Iterator[Network]:
    recorder = Network()

    def handle_request(self: httpx.HTTPTransport, request: httpx.Request) -> httpx.Response:
        return recorder.answer(request)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        recorder.resolved.append(str(host))
        raise OSError(f"test: no network ({host})")

    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", handle_request)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.delenv(cli.REGISTRY_ENV, raising=False)
    monkeypatch.delenv("KHATEM_VERIFY_DIR", raising=False)
    yield recorder


def _check(*args: str) -> Any:
    return CliRunner().invoke(cli.app, list(args))


# nothing pinned


def test_with_nothing_pinned_the_labels_host_is_never_contacted(
    network: Network, tmp_path: Path
) -> None:
    outcome = _check(forged_label(), "--dir", str(tmp_path))
    assert network.hosts == set(), network.hosts
    assert "AUTHENTIC" not in outcome.output
    assert outcome.exit_code == cli.EXIT_NOT_VERIFIED
    assert "no registry is pinned" in outcome.stderr
    assert "khatem verify sync --root-key" in outcome.stderr
    assert "--registry URL" in outcome.stderr


def test_with_nothing_pinned_json_mode_answers_machine_readably(
    network: Network, tmp_path: Path
) -> None:
    outcome = _check(forged_label(), "--json", "--dir", str(tmp_path))
    assert network.hosts == set()
    assert outcome.exit_code == cli.EXIT_NOT_VERIFIED
    answer = json.loads(outcome.stdout)
    assert answer["verdict"] is None
    assert answer["error"] == "registry_not_pinned"
    assert answer["exit_code"] == cli.EXIT_NOT_VERIFIED
    assert "khatem verify sync" in answer["message"]


def test_offline_data_without_a_saved_registry_pins_nothing_online(
    network: Network, tmp_path: Path
) -> None:
    """A cache holding a root key but no registry address (e.g. copied by hand) does not
    make the label's host trustworthy."""
    (tmp_path / "root.vkey").write_text("khatem.ma/log+00000000+AAAA\n", encoding="ascii")
    outcome = _check(forged_label(), "--dir", str(tmp_path))
    assert network.hosts == set()
    assert outcome.exit_code == cli.EXIT_NOT_VERIFIED


# a registry pinned: only it is asked


def _only_the_registry_was_asked(network: Network) -> None:
    assert network.requests, "the pinned registry was not asked"
    assert network.hosts == {REGISTRY_HOST}, network.hosts


def test_a_registry_pinned_with_the_option_is_the_only_one_asked(
    network: Network, tmp_path: Path
) -> None:
    outcome = _check(forged_label(), "--registry", REGISTRY, "--dir", str(tmp_path))
    _only_the_registry_was_asked(network)
    assert outcome.exit_code == cli.EXIT_CODES["INVALID"], outcome.output
    assert outcome.output.startswith("INVALID")


def test_a_registry_pinned_in_the_environment_is_the_only_one_asked(
    network: Network, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(cli.REGISTRY_ENV, REGISTRY)
    outcome = _check(forged_label(), "--json", "--dir", str(tmp_path))
    _only_the_registry_was_asked(network)
    assert json.loads(outcome.stdout)["verdict"] == "INVALID"
    assert outcome.exit_code == cli.EXIT_CODES["INVALID"]


def test_the_registry_a_sync_saved_is_the_only_one_asked(network: Network, tmp_path: Path) -> None:
    (tmp_path / REGISTRY_FILE).write_text(REGISTRY + "\n", encoding="utf-8")
    outcome = _check(forged_label(), "--dir", str(tmp_path))
    _only_the_registry_was_asked(network)
    assert outcome.exit_code == cli.EXIT_CODES["INVALID"]


def test_the_fallback_to_the_label_path_stays_on_the_pinned_registry(
    network: Network, tmp_path: Path
) -> None:
    network.registry_routes["/api/v1/verify"] = httpx.Response(404)
    outcome = _check(forged_label(), "--registry", REGISTRY, "--dir", str(tmp_path))
    _only_the_registry_was_asked(network)
    assert [r.url.path for r in network.requests] == [
        "/api/v1/verify",
        "/01/06111234000019/21/7F3K2MQ9XB",
    ]
    assert outcome.exit_code == cli.EXIT_CODES["INVALID"]


@pytest.mark.parametrize(
    "location",
    [
        f"https://{FORGER_HOST}/api/v1/verify",
        f"//{FORGER_HOST}/api/v1/verify",
        f"http://{REGISTRY_HOST}/api/v1/verify",  # a downgrade to plain HTTP
        f"https://{REGISTRY_HOST}:8443/api/v1/verify",
    ],
)
def test_a_redirect_off_the_pinned_registry_is_not_followed(
    network: Network, tmp_path: Path, location: str
) -> None:
    network.registry_routes["/api/v1/verify"] = httpx.Response(302, headers={"Location": location})
    outcome = _check(forged_label(), "--json", "--registry", REGISTRY, "--dir", str(tmp_path))
    _only_the_registry_was_asked(network)
    assert len(network.requests) == 1
    assert outcome.exit_code == cli.EXIT_NOT_VERIFIED
    answer = json.loads(outcome.stdout)
    assert answer["verdict"] is None
    assert answer["error"] == "online_verification_failed"
    assert "not the pinned registry" in answer["message"]


def test_a_redirect_within_the_pinned_registry_is_followed(
    network: Network, tmp_path: Path
) -> None:
    network.registry_routes["/api/v1/verify"] = httpx.Response(
        308, headers={"Location": "/v2/verify?label=x"}
    )
    outcome = _check(forged_label(), "--registry", REGISTRY, "--dir", str(tmp_path))
    _only_the_registry_was_asked(network)
    assert [r.url.path for r in network.requests] == ["/api/v1/verify", "/v2/verify"]
    assert outcome.exit_code == cli.EXIT_CODES["INVALID"]


# python -m verify, a process of its own


class RecordingProxy:
    """A loopback HTTP proxy that records the first line of every connection (``CONNECT
    host:443 …`` for HTTPS) and refuses it."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.lines: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.server.accept()
            except TimeoutError:
                continue
            with connection:
                connection.settimeout(2)
                try:
                    self.lines.append(connection.recv(4096).split(b"\r\n")[0].decode())
                    connection.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
                except OSError:
                    pass

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.server.close()


@pytest.fixture
def proxy() -> Iterator[RecordingProxy]:
    recording = RecordingProxy()
    yield recording
    recording.close()


def test_python_m_verify_with_nothing_pinned_opens_no_connection(
    proxy: RecordingProxy, tmp_path: Path
) -> None:
    env = {
        name: value
        for name, value in os.environ.items()
        if name.upper() not in ("NO_PROXY", cli.REGISTRY_ENV)
    }
    address = f"http://127.0.0.1:{proxy.port}"
    env.update(
        KHATEM_VERIFY_DIR=str(tmp_path / "cache"),
        HTTPS_PROXY=address,
        HTTP_PROXY=address,
        ALL_PROXY=address,
    )
    result = subprocess.run(
        [sys.executable, "-m", "verify", forged_label(), "--json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proxy.lines == [], proxy.lines
    assert result.returncode == cli.EXIT_NOT_VERIFIED, (result.stdout, result.stderr)
    answer = json.loads(result.stdout)
    assert answer["verdict"] is None
    assert answer["error"] == "registry_not_pinned"
