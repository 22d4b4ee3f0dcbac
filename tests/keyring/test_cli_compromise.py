"""``khatem keys compromised`` says what happened: an active key versus a retired one."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlmodel import Session
from typer.testing import CliRunner

from core.settings import Settings, get_settings
from labeling.cli_keys import keys_app
from labeling.keyrecords import rotate_label_key
from labeling.keyrecords.preparation import new_development_label_key
from labeling.startup import prepare_registry


@pytest.fixture
def shell(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    """A shell whose KHATEM_* variables name a prepared test registry."""
    monkeypatch.setenv("KHATEM_ENVIRONMENT", "test")
    monkeypatch.setenv("KHATEM_DATABASE_URL", settings.resolved_database_url)
    monkeypatch.setenv("KHATEM_DATA_DIR", str(settings.data_dir))
    get_settings.cache_clear()
    prepare_registry(settings)
    yield CliRunner()
    get_settings.cache_clear()


def _label_kid(shell: CliRunner) -> str:
    listed = shell.invoke(keys_app, ["list"]).output
    return next(line.split()[0] for line in listed.splitlines() if " label " in line)


def _minutes_ago(minutes: int) -> str:
    return (datetime.now(UTC) - timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%MZ")


def test_compromising_the_active_key_says_to_rotate(shell: CliRunner) -> None:
    kid = _label_kid(shell)
    since = _minutes_ago(5)
    result = shell.invoke(keys_app, ["compromised", kid, "--since", since])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert f"Key {kid} is compromised since {since}." in out
    assert "It was the active label key: it is now retired" in out
    assert "Rotate to a new key (`khatem keys rotate`) before issuing more labels." in out
    assert "already retired" not in out
    assert f"log entry is dated before {since} is AUTHENTIC_WITH_WARNINGS" in out
    assert "(key_compromised_after_signing)" in out
    assert "INVALID (key_compromised) for every label of this key" in out


def test_compromising_a_retired_key_says_no_rotation_is_needed(shell: CliRunner) -> None:
    old_kid = _label_kid(shell)
    rotated = shell.invoke(keys_app, ["rotate"])
    assert rotated.exit_code == 0, rotated.output
    retired_line = next(line for line in rotated.output.splitlines() if "retired at" in line)
    retired_at = retired_line.removesuffix(".").split("retired at ")[1]
    since = _minutes_ago(5)
    result = shell.invoke(keys_app, ["compromised", old_kid, "--since", since])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert f"Key {old_kid} is compromised since {since}." in out
    assert f"It was already retired at {retired_at}, so no labels were being signed" in out
    assert "no rotation is needed" in out
    assert "Rotate" not in out and "active label key" not in out
    assert "stopped signing" not in out  # retired after the compromise time
    # What it does to verdicts: labels logged before the time stand online, with a warning.
    assert "AUTHENTIC_WITH_WARNINGS (key_compromised_after_signing)" in out
    assert "INVALID (key_compromised) for every label of this key" in out
    # The same time again changes nothing and says so.
    again = shell.invoke(keys_app, ["compromised", old_kid, "--since", since])
    assert again.exit_code == 0
    assert f"was already marked compromised since {since}; nothing changed." in again.stdout


def test_a_compromise_after_the_retirement_spares_every_issued_label(
    shell: CliRunner, settings: Settings, session: Session
) -> None:
    old_kid = _label_kid(shell)
    uri, signer = new_development_label_key(settings, first=False)
    rotate_label_key(
        session=session,
        new_signer=signer,
        key_uri=uri,
        allow_development=True,
        at=datetime.now(UTC) - timedelta(minutes=30),
    )
    since = _minutes_ago(5)
    result = shell.invoke(keys_app, ["compromised", old_kid, "--since", since])
    assert result.exit_code == 0, result.output
    assert "It was already retired at" in result.stdout
    assert "stopped signing at" in result.stdout
    assert f"before {since}: every label the registry issued with it was logged" in result.stdout


def test_the_report_matches_what_verifiers_decide(shell: CliRunner, session: Session) -> None:
    """The verdicts the report describes are those of verify.verifier's key check."""
    from labeling.keyrecords import label_signer, repository
    from tests.keyring.labels import sign_label
    from verify.checks import key_check as _key_check
    from verify.decision import decide
    from verify.label_codec import parse_label_uri
    from verify.verdict import Outcome, Overall
    from verify.verifier import KeyFacts, LabelRecord

    settings = get_settings()
    key, signer = label_signer(session, settings)
    kid = key.kid
    session.rollback()
    issued = datetime.now(UTC) - timedelta(minutes=20)
    token = parse_label_uri(sign_label(signer, issued_at=issued))
    assert shell.invoke(keys_app, ["rotate"]).exit_code == 0
    since = _minutes_ago(10)
    assert shell.invoke(keys_app, ["compromised", kid, "--since", since]).exit_code == 0
    record = repository.get_by_kid(session=session, kid=kid)
    assert record is not None and record.retired_at and record.compromised_since
    facts = KeyFacts(
        kid=record.kid,
        public_key=Ed25519PublicKey.from_public_bytes(record.public_key),
        not_before=record.not_before,
        retired_at=record.retired_at,
        compromised_since=record.compromised_since,
    )
    session.rollback()

    def overall(logged_at: datetime | None, *, authoritative: bool) -> tuple[Outcome, str, Overall]:
        label = LabelRecord(status="active", logged_at=logged_at)
        check = _key_check(facts, token, label, authoritative)
        return check.outcome, check.reason, decide((check,), authoritative=authoritative)

    # Online, logged before the compromise time: authentic with a warning.
    assert overall(issued, authoritative=True) == (
        Outcome.WARNING,
        "key_compromised_after_signing",
        Overall.AUTHENTIC_WITH_WARNINGS,
    )
    # Online, logged at or after it: invalid.
    late = record.compromised_since + timedelta(seconds=30)
    assert overall(late, authoritative=True) == (
        Outcome.FAILED,
        "key_compromised",
        Overall.INVALID,
    )
    # Offline (not authoritative), whatever the log says: invalid.
    assert overall(issued, authoritative=False) == (
        Outcome.FAILED,
        "key_compromised",
        Overall.INVALID,
    )
