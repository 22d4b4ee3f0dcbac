"""The report form's key is the registry's, not a process's: a form shown by one worker is
accepted by another (two app instances, and a second process, on one database), and the
key is derived with HKDF from the secret the database keeps, never drawn per process."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session

from core.settings import Settings
from labeling.registry.secrets import derived_key, forget_derived_keys
from labeling.reports.form_token import check_token, issue_token
from tests.reports.fixtures import ReportedLabel

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _on_every_backend(db_url: str) -> Iterator[str]:
    forget_derived_keys()
    yield db_url
    forget_derived_keys()


def _worker(settings: Settings) -> FastAPI:
    from main import create_app

    return create_app(settings)


def _reports(session: Session) -> int:
    value = int(session.execute(text("SELECT count(*) FROM fake_report")).one()[0])
    session.rollback()
    return value


def test_a_form_shown_by_one_worker_is_accepted_by_another(
    settings: Settings, carpet: ReportedLabel, session: Session
) -> None:
    assert settings.report_form_secret == ""  # the default: no key configured
    with TestClient(_worker(settings), raise_server_exceptions=False) as first:
        form = first.get(f"/report/{carpet.gtin}/{carpet.serial}?lang=fr")
        assert form.status_code == 200
        found = re.search(r'name="form_token" value="(\d+)\.([0-9a-f]{64})"', form.text)
        assert found is not None
    issued, mac = found.groups()
    forget_derived_keys()  # the second worker is another process: it remembers nothing
    # The buyer took a minute: the same MAC over an issue time a minute earlier is what a
    # worker with the same key would have printed then.
    token = issue_token(settings, carpet.gtin, carpet.serial, now=int(issued))
    assert token == f"{issued}.{mac}"
    aged = issue_token(settings, carpet.gtin, carpet.serial, now=time.time() - 60)
    forget_derived_keys()
    with TestClient(_worker(settings), raise_server_exceptions=False) as second:
        sent = second.post(
            f"/report/{carpet.gtin}/{carpet.serial}?lang=fr",
            data={"item": "Un tapis bleu", "form_token": aged, "website": ""},
            files={"photo": ("", b"", "application/octet-stream")},
            headers={"Accept": "text/html"},
            follow_redirects=False,
        )
    assert sent.status_code == 303, sent.text[:600]
    assert _reports(session) == 1


def test_another_process_derives_the_same_key(settings: Settings, db_url: str) -> None:
    mine = derived_key(settings.resolved_database_url, b"report-form v1")
    code = (
        "import sys; from labeling.registry.secrets import derived_key; "
        "print(derived_key(sys.argv[1], b'report-form v1').hex())"
    )
    other = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code, settings.resolved_database_url],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert other.stdout.strip() == mine.hex()


def test_the_key_is_derived_per_use_from_one_stored_secret(
    settings: Settings, session: Session
) -> None:
    url = settings.resolved_database_url
    form = derived_key(url, b"report-form v1")
    other_use = derived_key(url, b"another use v1")
    assert len(form) == 32 and form != other_use
    rows = session.execute(text("SELECT name, value FROM registry_secret")).all()
    session.rollback()
    assert [name for name, _ in rows] == ["root"]
    assert bytes(rows[0][1]) not in (form, other_use)  # the secret itself is never the key


def test_a_configured_secret_still_wins(settings: Settings, carpet: ReportedLabel) -> None:
    chosen = settings.model_copy(update={"report_form_secret": "x" * 40})
    token = issue_token(chosen, carpet.gtin, carpet.serial, now=time.time() - 60)
    check_token(chosen, token, carpet.gtin, carpet.serial)
    with pytest.raises(Exception, match="label's page"):
        check_token(settings, token, carpet.gtin, carpet.serial)
