"""Queries for the public certificate pages beside its facts (which come through
:mod:`labeling.verification.facts`): public columns only.

The artisan's personal columns (``national_id``, ``phone``, ``address``) and every internal
id stay in the database: the statements below never select them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from sqlalchemy import select, text
from sqlmodel import Session, col

from labeling.verification.repository import MARKS_SQL
from schemas.certificates import Certificate, CertificateScope
from schemas.labels import Label, LabelBatch
from schemas.registry import ProductLine

__all__ = [
    "LabelRow",
    "certificate_status",
    "labels_by_serial",
    "marks_of_label",
    "product_line_names",
]

#: GTINs probed per statement when a serial is looked up without its GTIN.
_GTIN_CHUNK = 500


@dataclass(frozen=True, slots=True)
class LabelRow:
    """The public record of one issued label, by GTIN and serial (``label_id`` stays on
    the server: it reads the label's marks)."""

    label_id: int
    gtin: str
    serial: str
    status: str
    status_reason: str | None
    product_line: str
    certificate_code: int
    certificate_status: str
    certificate_valid_until: date


def certificate_status(*, session: Session, code: int) -> tuple[str, date] | None:
    """The stored status and the end of validity of the certificate ``code`` (its badge)."""
    row = session.execute(
        select(col(Certificate.status), col(Certificate.valid_until)).where(
            col(Certificate.code) == code
        )
    ).first()
    return (row[0], row[1]) if row is not None else None


def product_line_names(*, session: Session, certificate_id: int) -> list[str]:
    """The public names of the products in the certificate's scope."""
    rows = session.execute(
        select(col(ProductLine.name))
        .join(CertificateScope, col(CertificateScope.product_line_id) == col(ProductLine.id))
        .where(col(CertificateScope.certificate_id) == certificate_id)
        .order_by(col(ProductLine.name))
    ).all()
    return [row[0] for row in rows]


def labels_by_serial(*, session: Session, serial: str, gtin: str | None = None) -> list[LabelRow]:
    """The labels issued with ``serial`` (under ``gtin``, if given), in GTIN order.

    A serial is unique per GTIN only, and the label table's only index on it is
    ``(gtin, serial)``: without a GTIN, the GTINs of the batches (a few per product line)
    are probed, one index lookup each, never a scan of the labels.
    """
    if gtin is not None:
        gtins = [gtin]
    else:
        gtins = list(session.execute(select(col(LabelBatch.gtin)).distinct()).scalars())
    found: list[LabelRow] = []
    for start in range(0, len(gtins), _GTIN_CHUNK):
        rows = session.execute(
            select(
                col(Label.id),
                col(Label.gtin),
                col(Label.serial),
                col(Label.status),
                col(Label.status_reason),
                col(ProductLine.name),
                col(Certificate.code),
                col(Certificate.status),
                col(Certificate.valid_until),
            )
            .join(LabelBatch, col(LabelBatch.id) == col(Label.batch_id))
            .join(ProductLine, col(ProductLine.id) == col(LabelBatch.product_line_id))
            .join(Certificate, col(Certificate.id) == col(Label.certificate_id))
            .where(col(Label.gtin).in_(gtins[start : start + _GTIN_CHUNK]))
            .where(col(Label.serial) == serial)
        ).all()
        found += [LabelRow(*row) for row in rows]
    return sorted(found, key=lambda row: row.gtin)


#: The label's marks, as the scan reads them (one statement for both: the verdict and the
#: short address page tell the same evidence).
_MARKS: Final = text(MARKS_SQL.format(p=":label_id"))


def marks_of_label(*, session: Session, label_id: int) -> list[tuple[Any, ...]]:
    """The label's marks (:data:`labeling.verification.repository.MARKS_SQL`'s columns)."""
    return [tuple(row) for row in session.execute(_MARKS, {"label_id": label_id}).all()]
