"""Migration 0005 (``evidence_holder``) goes up and down on both backends.

Up, it records as holders every body that the old rules let read a file: its first
uploader's body, and each body whose audits already cite it (its first citing audit stands
for the upload). Down, the table goes and the files' rows stay; up again gives the same
holders. At head, the table is exactly the one ``schemas.audits.EvidenceHolder`` declares.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import insert, inspect
from sqlmodel import Session, SQLModel, col, select

from core.db import MIGRATIONS_DIR, engine_for, migrate
from schemas.audits import Audit, AuditEvidence, EvidenceBlob, EvidenceHolder
from schemas.catalog import LabelScheme
from tests.fixtures.actors import Actor

BEFORE = "0004"
T0 = datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=UTC)


def _downgrade(url: str, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine_for(url)
    command.downgrade(config, revision)


def _tables(url: str) -> set[str]:
    return set(inspect(engine_for(url)).get_table_names())


def _scheme_id(session: Session, code: str) -> int:
    scheme_id = session.exec(select(LabelScheme.id).where(LabelScheme.code == code)).one()
    assert scheme_id is not None
    return scheme_id


def _audit(session: Session, inspector: Actor, workshop: Actor, scheme_id: int, at: datetime,
           cites: list[str]) -> None:  # fmt: skip
    assert inspector.body_id is not None and workshop.artisan_id is not None
    # Only the columns revision 0004 has: the model may hold later ones (0007's
    # idempotency key), which the downgraded table does not.
    inserted = session.execute(
        insert(Audit.__table__).values(  # type: ignore[attr-defined]
            inspector_id=inspector.id,
            body_id=inspector.body_id,
            artisan_id=workshop.artisan_id,
            scheme_id=scheme_id,
            audit_date=at.date(),
            submitted_at=at,
            outcome="pass",
            content_hash="c" * 64,
        )
    )
    audit_id = inserted.inserted_primary_key[0]
    assert audit_id is not None
    for sha in cites:
        session.add(AuditEvidence(audit_id=audit_id, sha256=sha, filename=f"{sha[:4]}.pdf"))
    session.flush()


def _holders(session: Session) -> set[tuple[Any, ...]]:
    rows = session.exec(select(EvidenceHolder).order_by(col(EvidenceHolder.sha256))).all()
    holders = {(h.sha256, h.body_id, h.first_uploaded_by, h.uploaded_at) for h in rows}
    session.rollback()
    return holders


def test_migration_0005_backfills_holders_and_goes_down_and_up_again(
    db_url: str,
    session: Session,
    inspector: Actor,
    artisan: Actor,
    madmoun_inspector: Actor,
    potter: Actor,
) -> None:
    body_a, body_b = inspector.body_id, madmoun_inspector.body_id
    assert "evidence_holder" in _tables(db_url)
    session.rollback()  # no transaction of ours may stand in the migration's way
    _downgrade(db_url, BEFORE)
    assert "evidence_holder" not in _tables(db_url)

    # Rows as the code before 0005 wrote them.
    x, y, z = ("a" * 64, "b" * 64, "d" * 64)
    for sha, body_id, uploader, at in (
        (x, body_a, inspector.id, T0),  # A's file, later cited by B (allowed back then)
        (y, None, inspector.id, T0 + timedelta(hours=1)),  # an uploader without a body
        (z, body_b, madmoun_inspector.id, T0 + timedelta(hours=2)),  # B's own file
    ):
        session.add(
            EvidenceBlob(
                sha256=sha,
                size=3,
                media_type="application/pdf",
                data=b"",
                uploaded_by=uploader,
                body_id=body_id,
                created_at=at,
            )
        )
    session.flush()
    madmoun, carpet = _scheme_id(session, "MADMOUN"), _scheme_id(session, "TAPIS-SUPERIEURE")
    first_b, later_b = T0 + timedelta(days=1), T0 + timedelta(days=2)
    _audit(session, madmoun_inspector, potter, madmoun, first_b, [x, z])
    _audit(session, madmoun_inspector, potter, madmoun, later_b, [x])
    _audit(session, inspector, artisan, carpet, T0 + timedelta(days=3), [x])
    session.commit()

    migrate(db_url)
    expected = {
        (x, body_a, inspector.id, T0),  # the first upload
        (x, body_b, madmoun_inspector.id, first_b),  # B's earliest citation of it
        (z, body_b, madmoun_inspector.id, T0 + timedelta(hours=2)),  # once, as uploaded
    }
    assert _holders(session) == expected

    _downgrade(db_url, BEFORE)
    assert "evidence_holder" not in _tables(db_url)
    assert len(session.exec(select(EvidenceBlob.sha256)).all()) == 3
    session.rollback()
    migrate(db_url)
    assert _holders(session) == expected


def test_the_migrated_table_is_the_one_the_model_declares(db_url: str) -> None:
    with engine_for(db_url).connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, SQLModel.metadata)
        connection.rollback()
    assert [d for d in differences if "evidence_holder" in repr(d)] == []
