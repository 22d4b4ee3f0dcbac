"""Every label query. Repositories only flush; the service that owns the unit of work commits.

Labels are written in bulk with one ``executemany`` on the raw DBAPI connection (the
caller's transaction): no ORM object per label, no per-row type processing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import repeat
from typing import Any

from sqlalchemy import Connection, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from core.bulk_insert import sqlite_insert_columns
from schemas.certificates import Certificate, CertificateScope
from schemas.labels import Label, LabelBatch
from schemas.registry import InspectorAuthorisation, ProductLine

__all__ = [
    "BatchFilters",
    "LabelFilters",
    "add_batch",
    "batch_by_key",
    "certificate_in_body",
    "existing_serials",
    "get_batch",
    "get_label",
    "inspector_authorised",
    "insert_labels",
    "list_batches",
    "list_labels",
    "lock_certificate",
    "product_line",
    "product_line_in_scope",
]

_IN_CHUNK = 500
_COPY_THRESHOLD = 64  # rows from which COPY beats executemany on PostgreSQL
_LABEL_COLUMNS = (
    "batch_id, certificate_id, artisan_id, gtin, serial, issued_at, kid, signature, status"
)


def _is_pg(connection: Connection) -> bool:
    return connection.dialect.name == "postgresql"


def _db_time(connection: Connection, at: datetime) -> Any:
    if _is_pg(connection):
        return at
    # The text form SQLAlchemy's SQLite DateTime type writes and reads back.
    return at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def certificate_in_body(
    *, session: Session, certificate_id: int, body_id: int, lock: bool = False
) -> Certificate | None:
    """A certificate of the body; ``lock`` reads it as :func:`lock_certificate` does."""
    statement = select(Certificate).where(
        Certificate.id == certificate_id, Certificate.body_id == body_id
    )
    if lock:
        statement = _locked(statement)
    return session.exec(statement).first()


def lock_certificate(*, session: Session, certificate_id: int) -> Certificate | None:
    """The certificate as it is now, its row locked until the caller's transaction ends.

    Issuance decides under this lock, the one a suspension, reinstatement or withdrawal
    takes (:func:`labeling.certificates.repository.get_certificate`): ``SELECT … FOR
    UPDATE`` on PostgreSQL, which waits for a status change in progress and makes the next
    one wait until the labels and their log leaves are committed. Waiters queue in order,
    so a stream of batches cannot starve a suspension. Take it before writing any row that
    references the certificate (a foreign key check takes a weaker lock on its row, and
    upgrading that lock behind a waiting suspension can deadlock). On SQLite the write
    transaction already holds the database's writer lock from its first statement
    (:mod:`core.db`), which serialises the same way.
    """
    statement = select(Certificate).where(Certificate.id == certificate_id)
    return session.exec(_locked(statement)).first()


def _locked(statement: SelectOfScalar[Certificate]) -> SelectOfScalar[Certificate]:
    # populate_existing: a certificate already in the session is refreshed from the locked
    # row, never answered from the identity map as it was read before the lock.
    return statement.with_for_update().execution_options(populate_existing=True)


def product_line(*, session: Session, product_line_id: int) -> ProductLine | None:
    return session.get(ProductLine, product_line_id)


def product_line_in_scope(*, session: Session, certificate_id: int, product_line_id: int) -> bool:
    return session.get(CertificateScope, (certificate_id, product_line_id)) is not None


def inspector_authorised(*, session: Session, inspector_id: int, scheme_id: int) -> bool:
    row = session.exec(
        select(InspectorAuthorisation.id).where(
            InspectorAuthorisation.inspector_id == inspector_id,
            InspectorAuthorisation.scheme_id == scheme_id,
            col(InspectorAuthorisation.revoked_at).is_(None),
        )
    ).first()
    return row is not None


def batch_by_key(*, session: Session, body_id: int, key: str) -> LabelBatch | None:
    return session.exec(
        select(LabelBatch).where(LabelBatch.body_id == body_id, LabelBatch.idempotency_key == key)
    ).first()


def get_batch(*, session: Session, batch_id: int) -> LabelBatch | None:
    return session.get(LabelBatch, batch_id)


@dataclass(frozen=True, slots=True)
class BatchFilters:
    """Who may see which batches (``body_id``, or ``artisan_id`` and only completed ones)
    and what the reader asked for."""

    body_id: int | None = None
    artisan_id: int | None = None
    statuses: tuple[str, ...] = ()
    certificate_id: int | None = None


def list_batches(
    *, session: Session, filters: BatchFilters, before_id: int | None, limit: int
) -> list[LabelBatch]:
    """Batches newest first (by id), those before ``before_id`` (a keyset page)."""
    clauses: list[Any] = []
    if filters.body_id is not None:
        clauses.append(LabelBatch.body_id == filters.body_id)
    if filters.artisan_id is not None:
        clauses.append(LabelBatch.artisan_id == filters.artisan_id)
    if filters.statuses:
        clauses.append(col(LabelBatch.status).in_(list(filters.statuses)))
    if filters.certificate_id is not None:
        clauses.append(LabelBatch.certificate_id == filters.certificate_id)
    if before_id is not None:
        clauses.append(col(LabelBatch.id) < before_id)
    statement = select(LabelBatch).where(*clauses).order_by(col(LabelBatch.id).desc())
    return list(session.exec(statement.limit(limit)).all())


def add_batch(*, session: Session, batch: LabelBatch) -> LabelBatch:
    session.add(batch)
    session.flush()
    return batch


def insert_labels(
    *,
    session: Session,
    batch_id: int,
    certificate_id: int,
    artisan_id: int,
    issued_at: datetime,
    kid: str,
    gtin: str,
    serials: Sequence[str],
    signatures: Sequence[bytes],
) -> None:
    """Insert a batch's labels: chunked ``INSERT … SELECT`` statements on SQLite
    (:func:`core.bulk_insert.sqlite_insert_columns`), one COPY (or a small executemany) on
    PostgreSQL. Raises IntegrityError on a duplicate
    ``(gtin, serial)``; the caller holds a savepoint.

    Everything but the serial and the signature is the same for the whole batch; the
    parameters are assembled in C (``zip``, ``repeat``, slices), not a Python loop per row.
    """
    connection = session.connection()
    when = _db_time(connection, issued_at)
    size = len(serials)
    if not _is_pg(connection):
        # Chunked INSERT … SELECT, the batch's constants bound once (core.bulk_insert).
        sqlite_insert_columns(
            connection,
            "label",
            {"serial": serials, "signature": signatures},
            constants={
                "batch_id": batch_id,
                "certificate_id": certificate_id,
                "artisan_id": artisan_id,
                "gtin": gtin,
                "issued_at": when,
                "kid": kid,
                "status": "active",
            },
        )
        return
    rows = zip(
        repeat(batch_id, size),
        repeat(certificate_id, size),
        repeat(artisan_id, size),
        repeat(gtin, size),
        serials,
        repeat(when, size),
        repeat(kid, size),
        signatures,
        repeat("active", size),
        strict=True,
    )
    if size >= _COPY_THRESHOLD:
        _copy_labels(connection, rows)
        return
    connection.exec_driver_sql(
        f"INSERT INTO label ({_LABEL_COLUMNS}) VALUES ({', '.join(['%s'] * 9)})", list(rows)
    )


def _copy_labels(connection: Connection, rows: Iterable[tuple[Any, ...]]) -> None:
    # PostgreSQL's COPY streams the rows without a parse and a round trip per row; it runs
    # on the session's connection, so it is part of the caller's transaction (and its
    # savepoint). A duplicate (gtin, serial) fails it like the INSERT would.
    import psycopg

    driver: Any = connection.connection.driver_connection
    try:
        with driver.cursor() as cursor:
            with cursor.copy(f"COPY label ({_LABEL_COLUMNS}) FROM STDIN") as copy:
                write = copy.write_row
                for row in rows:
                    write(row)
    except psycopg.errors.UniqueViolation as exc:
        raise IntegrityError("COPY label", None, exc) from exc


def existing_serials(*, session: Session, gtin: str, serials: Sequence[str]) -> set[str]:
    """Which of ``serials`` are already taken for ``gtin``."""
    taken: set[str] = set()
    for start in range(0, len(serials), _IN_CHUNK):
        chunk = list(serials[start : start + _IN_CHUNK])
        taken.update(
            session.exec(
                select(Label.serial).where(Label.gtin == gtin, col(Label.serial).in_(chunk))
            ).all()
        )
    return taken


@dataclass(frozen=True, slots=True)
class LabelFilters:
    """Who may see what (``body_id`` or ``artisan_id``) and what the reader asked for."""

    body_id: int | None = None
    artisan_id: int | None = None
    batch_id: int | None = None
    certificate_id: int | None = None
    status: str | None = None
    #: only labels with a greater id (a keyset page that follows this label)
    after_id: int | None = None


def _where(filters: LabelFilters) -> list[Any]:
    clauses: list[Any] = []
    if filters.body_id is not None:
        clauses.append(
            col(Label.batch_id).in_(
                select(LabelBatch.id).where(LabelBatch.body_id == filters.body_id)
            )
        )
    if filters.artisan_id is not None:
        clauses.append(Label.artisan_id == filters.artisan_id)
    if filters.batch_id is not None:
        clauses.append(Label.batch_id == filters.batch_id)
    if filters.certificate_id is not None:
        clauses.append(Label.certificate_id == filters.certificate_id)
    if filters.status is not None:
        clauses.append(Label.status == filters.status)
    if filters.after_id is not None:
        clauses.append(col(Label.id) > filters.after_id)
    return clauses


def list_labels(
    *, session: Session, filters: LabelFilters, limit: int, offset: int
) -> tuple[list[Label], int]:
    clauses = _where(filters)
    total = session.exec(select(func.count()).select_from(Label).where(*clauses)).one()
    rows = session.exec(
        select(Label).where(*clauses).order_by(col(Label.id)).limit(limit).offset(offset)
    ).all()
    return list(rows), int(total)


def get_label(*, session: Session, label_id: int) -> Label | None:
    return session.get(Label, label_id)
