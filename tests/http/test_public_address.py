"""Absolute URLs name the address the registry really answers on: ``KHATEM_PUBLIC_BASE_URL``
when it is set, else the address the server is bound to (``khatem serve --host/--port``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from core.settings import Settings, derived_base_url, get_settings
from tests.fixtures.actors import Actor
from tests.labels.fixtures import CertificateRef
from tests.verification.fixtures import issue

PORT = 18401
BOUND = f"http://127.0.0.1:{PORT}"


@pytest.mark.parametrize(
    ("host", "port", "expected"),
    [
        ("127.0.0.1", 8000, "http://127.0.0.1:8000"),
        ("127.0.0.1", PORT, BOUND),
        ("0.0.0.0", 9000, "http://127.0.0.1:9000"),
        ("::", 9000, "http://[::1]:9000"),
        ("::1", 9000, "http://[::1]:9000"),
        ("khatem.local", 80, "http://khatem.local:80"),
    ],
)
def test_an_unset_public_address_is_the_bound_address(host: str, port: int, expected: str) -> None:
    assert derived_base_url(host, port) == expected
    assert Settings(bind_host=host, bind_port=port).public_base_url == expected


def test_a_configured_public_address_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KHATEM_PUBLIC_BASE_URL", "https://khatem.ma")
    monkeypatch.setenv("KHATEM_BIND_PORT", str(PORT))
    assert Settings().public_base_url == "https://khatem.ma"
    monkeypatch.delenv("KHATEM_PUBLIC_BASE_URL")
    assert Settings().public_base_url == BOUND


@pytest.fixture
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """The serve command writes the bind address into the environment (for uvicorn's
    workers): set these first, so that the monkeypatch restores them after the test."""
    monkeypatch.setenv("KHATEM_BIND_HOST", "127.0.0.1")
    monkeypatch.setenv("KHATEM_BIND_PORT", "8000")
    monkeypatch.delenv("KHATEM_PUBLIC_BASE_URL", raising=False)
    monkeypatch.setenv("KHATEM_ENVIRONMENT", "test")
    monkeypatch.setenv("KHATEM_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KHATEM_DATABASE_URL", f"sqlite:///{tmp_path / 'data' / 'khatem.db'}")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_khatem_serve_on_another_port_builds_its_app_for_that_port(
    clean_environment: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from labeling.cli import app as cli

    served: list[tuple[FastAPI, dict[str, Any]]] = []

    def run(target: str, **options: Any) -> None:
        import main

        assert target == "main:create_app" and options["factory"]
        served.append((main.create_app(), options))  # as uvicorn's worker would

    monkeypatch.setattr("uvicorn.run", run)
    result = CliRunner().invoke(cli, ["serve", "--port", str(PORT)])
    assert result.exit_code == 0, result.output
    [(app, options)] = served
    assert options["port"] == PORT and options["host"] == "127.0.0.1"
    assert app.state.settings.public_base_url == BOUND
    assert f"open {BOUND}/" in result.output
    assert ":8000" not in result.output


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    """The registry as ``khatem serve --port 18401`` runs it (no public address set)."""
    return Settings(
        environment="test", database_url=db_url, data_dir=tmp_path / "data", bind_port=PORT
    )


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_linksets_links_and_badge_snippets_use_the_bound_address(
    verify_client: TestClient, inspector: Actor, certificate: CertificateRef
) -> None:
    [uri] = issue(verify_client, inspector, certificate, 1)
    path = "/" + uri.split("://", 1)[1].split("/", 1)[1]
    response = verify_client.get(path, headers={"Accept": "application/linkset+json"})
    entry = response.json()["linkset"][0]
    hrefs = [entry["anchor"]] + [
        link["href"] for key, links in entry.items() if key != "anchor" for link in links
    ]
    assert len(hrefs) >= 5 and all(href.startswith(BOUND + "/") for href in hrefs), hrefs
    assert response.headers["link"].startswith(f"<{BOUND}/01/")
    code = verify_client.get(path, headers={"Accept": "application/json"}).json()["certificate"][
        "code"
    ]
    page = verify_client.get(f"/certificates/{code}").text
    assert f"{BOUND}/certificates/" in page
    assert "127.0.0.1:8000" not in page
