"""Queries on retailers, receipts and label marks. Repositories flush; services commit."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from sqlalchemy import tuple_
from sqlmodel import Session, col, select

from core.db import begin_write
from schemas.labels import Label
from schemas.retailers import LabelMark, Receipt, Retailer

__all__ = [
    "add_mark",
    "get_retailer_by_account",
    "get_retailer_by_code",
    "labels_by_key",
    "list_receipts",
    "lock_labels_for_marking",
    "receipts_of_labels",
]

#: The labels' rows locked in id order, the whole set as one array parameter (PostgreSQL).
_LOCK_SQL: Final = "SELECT id FROM label WHERE id = ANY(%s) ORDER BY id FOR {}"


def get_retailer_by_account(*, session: Session, account_id: int) -> Retailer | None:
    return session.exec(select(Retailer).where(Retailer.account_id == account_id)).first()


def get_retailer_by_code(*, session: Session, code: str) -> Retailer | None:
    return session.exec(select(Retailer).where(Retailer.code == code)).first()


def labels_by_key(
    *, session: Session, keys: Sequence[tuple[str, str]]
) -> dict[tuple[str, str], int]:
    """Label ids by (GTIN, serial); on PostgreSQL the rows stay locked until the commit, so
    two retailers receiving one label are recorded one after the other."""
    found: dict[tuple[str, str], int] = {}
    unique = sorted(set(keys))
    for start in range(0, len(unique), 500):
        chunk = unique[start : start + 500]
        query = select(Label.id, Label.gtin, Label.serial).where(
            tuple_(col(Label.gtin), col(Label.serial)).in_(chunk)
        )
        if session.get_bind().dialect.name == "postgresql":
            query = query.order_by(col(Label.id)).with_for_update()
        for label_id, gtin, serial in session.exec(query).all():
            assert label_id is not None
            found[(gtin, serial)] = label_id
    return found


def receipts_of_labels(*, session: Session, label_ids: Sequence[int]) -> list[Receipt]:
    """Every retailer's receipts of these labels, oldest first."""
    rows: list[Receipt] = []
    unique = sorted(set(label_ids))
    for start in range(0, len(unique), 500):
        chunk = unique[start : start + 500]
        rows += session.exec(
            select(Receipt).where(col(Receipt.label_id).in_(chunk)).order_by(col(Receipt.id))
        ).all()
    return rows


def lock_labels_for_marking(
    *, session: Session, label_ids: Sequence[int], for_update: bool = False
) -> None:
    """Make two transactions that mark one label do it one after the other: take this
    before asking which labels stand marked, and hold it until the commit.

    PostgreSQL: the labels' rows are locked in id order (two markers of several labels
    never wait for each other in a circle), ``FOR NO KEY UPDATE`` by default: it excludes
    another marker but not the key-share lock that a row referencing the label takes (a
    scan counter, a mark), which a concurrent flush may hold on a label it counted; with
    ``FOR UPDATE`` two such flushes would deadlock. ``for_update``: ``FOR UPDATE``, for a
    caller that may go on to change the label in the same transaction (a confirmed clone
    revoked), so that it waits here, holding nothing of the label, rather than there,
    behind a flush that waits for it. SQLite: the session's transaction becomes a write
    transaction if it is not one (:func:`core.db.begin_write`), whose writer lock
    serialises the rest."""
    connection = begin_write(session)
    if connection.dialect.name == "postgresql":
        mode = "UPDATE" if for_update else "NO KEY UPDATE"
        connection.exec_driver_sql(_LOCK_SQL.format(mode), (sorted(set(label_ids)),))


def add_mark(*, session: Session, mark: LabelMark) -> bool:
    """Add a mark unless the same (label, reason, retailer) is there; whether it was added."""
    existing = session.exec(
        select(LabelMark.id).where(
            LabelMark.label_id == mark.label_id,
            LabelMark.reason == mark.reason,
            LabelMark.retailer_id == mark.retailer_id,
        )
    ).first()
    if existing is not None:
        return False
    session.add(mark)
    session.flush()
    return True


def list_receipts(
    *, session: Session, retailer_id: int, after: int, limit: int
) -> list[tuple[Receipt, str, str]]:
    """A page of a retailer's receipts by id (keyset), with each label's GTIN and serial."""
    statement = (
        select(Receipt, Label.gtin, Label.serial)
        .join(Label, col(Label.id) == col(Receipt.label_id))
        .where(Receipt.retailer_id == retailer_id, col(Receipt.id) > after)
        .order_by(col(Receipt.id))
        .limit(limit)
    )
    return [(row[0], row[1], row[2]) for row in session.exec(statement).all()]
