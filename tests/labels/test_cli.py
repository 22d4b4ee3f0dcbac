"""``khatem labels issue`` and ``khatem labels sheet``, run through typer's CliRunner
against the configured database (each backend)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import text
from sqlmodel import Session
from typer.testing import CliRunner

from core.settings import Settings, get_settings
from labeling.cli import app
from labeling.keyrecords.opening import forget_signers
from labeling.startup import prepare_registry
from tests.fixtures.actors import Actor
from tests.labels.fixtures import CertificateRef
from tests.labels.sheets import decoded_sheet
from verify.label_codec import format_certificate_code, parse_label_uri, verify_label_signature

runner = CliRunner()


@pytest.fixture
def configured(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    """The CLI reads its settings from the environment: point it at the test database,
    with the registry's development keys registered."""
    monkeypatch.setenv("KHATEM_ENVIRONMENT", "test")
    monkeypatch.setenv("KHATEM_DATABASE_URL", settings.resolved_database_url)
    monkeypatch.setenv("KHATEM_DATA_DIR", str(settings.data_dir))
    get_settings.cache_clear()
    prepare_registry(settings)
    yield settings
    get_settings.cache_clear()
    forget_signers()


def _issue(cert: CertificateRef, actor: Actor, quantity: int, *extra: str):  # type: ignore[no-untyped-def]
    return runner.invoke(
        app,
        ["labels", "issue", "--certificate", str(cert.id), "--product-line"]
        + [str(cert.product_line_id), "--quantity", str(quantity), "--as", actor.email, *extra],
    )


def _count(session: Session, sql: str) -> int:
    value = int(session.exec(text(sql)).one()[0])  # type: ignore[call-overload]
    session.rollback()
    return value


def test_issue_shows_progress_signs_with_the_active_key_and_is_idempotent(
    configured: Settings, session: Session, inspector: Actor, certificate: CertificateRef
) -> None:
    result = _issue(certificate, inspector, 1_200, "--idempotency-key", "cli-run-1")
    assert result.exit_code == 0, result.output
    assert "1200 labels issued" in result.output and "1200/1200" in result.output
    assert _count(session, "SELECT COUNT(*) FROM label") == 1_200
    assert _count(session, "SELECT COUNT(*) FROM log_entry WHERE event_type = 'label.issued'") == (
        1_200
    )
    kid = session.exec(  # type: ignore[call-overload]
        text("SELECT kid FROM signing_key WHERE purpose = 'label'")
    ).one()[0]
    row = session.exec(  # type: ignore[call-overload]
        text("SELECT gtin, serial, issued_at, signature, kid FROM label LIMIT 1")
    ).one()
    session.rollback()
    assert row[4] == kid  # signed by the keyring's active label key
    again = _issue(certificate, inspector, 1_200, "--idempotency-key", "cli-run-1")
    assert again.exit_code == 0 and "already made" in again.output
    assert _count(session, "SELECT COUNT(*) FROM label") == 1_200
    # The certificate's code works as well as its id.
    code = format_certificate_code(certificate.code)
    by_code = runner.invoke(
        app,
        ["labels", "issue", "--certificate", code, "--product-line"]
        + [str(certificate.product_line_id), "--quantity", "3", "--as", inspector.email],
    )
    assert by_code.exit_code == 0, by_code.output


def test_issue_is_refused_under_a_suspended_certificate_or_for_an_artisan(
    configured: Settings,
    session: Session,
    inspector: Actor,
    artisan_user: Actor,
    certificate: CertificateRef,
) -> None:
    assert _issue(certificate, artisan_user, 5).exit_code == 1
    session.exec(text(f"UPDATE certificate SET status = 'suspended' WHERE id = {certificate.id}"))  # type: ignore[call-overload]
    session.commit()
    result = _issue(certificate, inspector, 5)
    assert result.exit_code == 1 and "certificate-suspended" in result.output
    assert _count(session, "SELECT COUNT(*) FROM label") == 0
    unknown = runner.invoke(
        app,
        ["labels", "issue", "--certificate", "C-0000000", "--product-line", "1"]
        + ["--quantity", "1", "--as", inspector.email],
    )
    assert unknown.exit_code == 1


def test_sheet_prints_every_label_of_the_batch_and_each_qr_decodes_to_it(
    configured: Settings,
    session: Session,
    inspector: Actor,
    certificate: CertificateRef,
    tmp_path: Path,
) -> None:
    assert _issue(certificate, inspector, 25).exit_code == 0
    batch_id = _count(session, "SELECT MAX(id) FROM label_batch")
    out = tmp_path / "sheet.pdf"
    result = runner.invoke(app, ["labels", "sheet", str(batch_id), "-o", str(out)])
    assert result.exit_code == 0, result.output
    pdf = out.read_bytes()
    assert pdf.startswith(b"%PDF-")
    decoded = decoded_sheet(pdf)
    rows = session.exec(  # type: ignore[call-overload]
        text(f"SELECT serial FROM label WHERE batch_id = {batch_id}")
    ).all()
    session.rollback()
    assert len(decoded) == 25
    assert sorted(parse_label_uri(uri).serial for uri in decoded) == sorted(r[0] for r in rows)
    kid_key = session.exec(  # type: ignore[call-overload]
        text("SELECT public_key FROM signing_key WHERE purpose = 'label'")
    ).one()[0]
    session.rollback()
    public_key = Ed25519PublicKey.from_public_bytes(bytes(kid_key))
    for uri in decoded:
        verify_label_signature(parse_label_uri(uri), public_key)
    # A part of the batch: labels 21 to 25 (a sheet holds 10,000; larger batches print in parts).
    part = tmp_path / "part.pdf"
    result = runner.invoke(
        app, ["labels", "sheet", str(batch_id), "-o", str(part), "--first", "21", "--count", "10"]
    )
    assert result.exit_code == 0, result.output
    last_five = session.exec(  # type: ignore[call-overload]
        text(f"SELECT serial FROM label WHERE batch_id = {batch_id} ORDER BY id")
    ).all()[20:]
    session.rollback()
    part_uris = decoded_sheet(part.read_bytes())
    assert set(part_uris) <= set(decoded)
    assert sorted(parse_label_uri(uri).serial for uri in part_uris) == sorted(
        row[0] for row in last_five
    )
    beyond = runner.invoke(
        app, ["labels", "sheet", str(batch_id), "-o", str(part), "--first", "26"]
    )
    assert beyond.exit_code == 1
    missing = runner.invoke(app, ["labels", "sheet", "999999", "-o", str(tmp_path / "x.pdf")])
    assert missing.exit_code == 1 and "label-batch-not-found" in missing.output
