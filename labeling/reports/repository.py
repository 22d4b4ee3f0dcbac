"""Queries on buyers' reports and their cases. Repositories flush; services commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, func, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from schemas.certificates import Certificate
from schemas.labels import Label, LabelBatch
from schemas.registry import ProductLine
from schemas.reports import CaseStatus, FakeReport, ReportCase
from schemas.retailers import THRESHOLD_REASONS, LabelMark, Receipt, Retailer
from schemas.telemetry import ScanCounter

__all__ = [
    "CaseRow",
    "MarkedLabel",
    "ReportedLabel",
    "add_report",
    "case_row",
    "get_case",
    "get_report",
    "label_for_report",
    "label_of_body",
    "list_cases",
    "marked_labels",
    "open_case",
    "purge_closed_cases",
    "receipts_of_label",
    "reports_of_case",
    "reports_since",
    "scans_of_label",
]


@dataclass(frozen=True, slots=True)
class ReportedLabel:
    label_id: int
    gtin: str
    serial: str
    status: str
    #: The body that certified the label's artisan: the body of the label's certificate.
    body_id: int


@dataclass(frozen=True, slots=True)
class CaseRow:
    case: ReportCase
    gtin: str
    serial: str
    label_status: str
    product: str


def label_for_report(
    *, session: Session, gtin: str, serial: str, lock: bool = False
) -> ReportedLabel | None:
    """The label with this GTIN and serial and its certificate's body. With ``lock``, on
    PostgreSQL, the label row stays locked until the commit, so that two reports of one
    label open one case (SQLite writers take turns anyway)."""
    query = (
        sa_select(
            col(Label.id),
            col(Label.gtin),
            col(Label.serial),
            col(Label.status),
            col(Certificate.body_id),
        )
        .join(Certificate, col(Certificate.id) == col(Label.certificate_id))
        .where(col(Label.gtin) == gtin, col(Label.serial) == serial)
    )
    if lock and session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(of=Label)
    row = session.execute(query).first()
    if row is None:
        return None
    label_id, gtin_, serial_, status, body_id = row
    assert label_id is not None
    return ReportedLabel(label_id, gtin_, serial_, status, body_id)


def open_case(*, session: Session, label_id: int) -> ReportCase | None:
    return session.exec(
        select(ReportCase).where(
            ReportCase.label_id == label_id, ReportCase.status == CaseStatus.OPEN.value
        )
    ).first()


def reports_since(*, session: Session, label_id: int, since: datetime) -> int:
    """How many reports of this label were received since ``since``."""
    count = session.exec(
        select(func.count())
        .select_from(FakeReport)
        .where(FakeReport.label_id == label_id, col(FakeReport.created_at) >= since)
    ).one()
    return int(count)


def add_report(*, session: Session, case: ReportCase, report: FakeReport) -> None:
    session.add(case)
    session.flush()
    assert case.id is not None
    report.case_id = case.id
    session.add(report)
    session.flush()


def _case_query() -> Select[ReportCase, str, str, str, str]:
    return (
        sa_select(
            ReportCase,
            col(Label.gtin),
            col(Label.serial),
            col(Label.status),
            col(ProductLine.name),
        )
        .join(Label, col(Label.id) == col(ReportCase.label_id))
        .join(LabelBatch, col(LabelBatch.id) == col(Label.batch_id))
        .join(ProductLine, col(ProductLine.id) == col(LabelBatch.product_line_id))
    )


def list_cases(
    *, session: Session, body_id: int, closed: bool, before: int | None, limit: int
) -> list[CaseRow]:
    """A page of a body's open (or closed) cases, newest first, keyset by id."""
    query = _case_query().where(col(ReportCase.body_id) == body_id)
    if closed:
        query = query.where(col(ReportCase.status) != CaseStatus.OPEN.value)
    else:
        query = query.where(col(ReportCase.status) == CaseStatus.OPEN.value)
    if before is not None:
        query = query.where(col(ReportCase.id) < before)
    rows = session.execute(query.order_by(col(ReportCase.id).desc()).limit(limit)).all()
    return [CaseRow(*row) for row in rows]


def case_row(*, session: Session, case_id: int) -> CaseRow | None:
    row = session.execute(_case_query().where(col(ReportCase.id) == case_id)).first()
    return CaseRow(*row) if row is not None else None


def get_case(*, session: Session, case_id: int, for_update: bool = False) -> ReportCase | None:
    query = select(ReportCase).where(ReportCase.id == case_id)
    if for_update and session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    return session.exec(query).first()


def reports_of_case(*, session: Session, case_id: int) -> list[FakeReport]:
    return list(
        session.exec(
            select(FakeReport).where(FakeReport.case_id == case_id).order_by(col(FakeReport.id))
        ).all()
    )


def get_report(*, session: Session, report_id: int) -> FakeReport | None:
    return session.get(FakeReport, report_id)


def purge_closed_cases(*, session: Session, closed_before: datetime, at: datetime) -> int:
    """Erase the personal data of the reports of cases closed before ``closed_before``
    (contact, photo, free text); the cases and the rest stay. How many cases were purged."""
    ids = list(
        session.exec(
            select(ReportCase.id).where(
                ReportCase.status != CaseStatus.OPEN.value,
                col(ReportCase.closed_at) < closed_before,
                col(ReportCase.purged_at).is_(None),
            )
        ).all()
    )
    if not ids:
        return 0
    session.execute(
        update(FakeReport)
        .where(col(FakeReport.case_id).in_(ids))
        .values(contact_email=None, photo=None, item="")
    )
    session.execute(update(ReportCase).where(col(ReportCase.id).in_(ids)).values(purged_at=at))
    session.flush()
    return len(ids)


def receipts_of_label(*, session: Session, label_id: int) -> list[tuple[Receipt, str]]:
    """Every retailer's receipt of the label, oldest first, with the retailer's name."""
    rows = session.exec(
        select(Receipt, Retailer.name)
        .join(Retailer, col(Retailer.id) == col(Receipt.retailer_id))
        .where(Receipt.label_id == label_id)
        .order_by(col(Receipt.id))
    ).all()
    return [(receipt, name) for receipt, name in rows]


def scans_of_label(*, session: Session, label_id: int, limit: int) -> list[tuple[date, str, int]]:
    """The label's daily scan counters (``scan_counter``, written by the scan telemetry),
    newest first: day, coarse country ("" where no trusted header gave one), scans."""
    rows = session.execute(
        sa_select(col(ScanCounter.day), col(ScanCounter.country), col(ScanCounter.scans))
        .where(col(ScanCounter.label_id) == label_id)
        .order_by(col(ScanCounter.day).desc(), col(ScanCounter.country))
        .limit(limit)
    ).all()
    return [(day, country, int(scans)) for day, country, scans in rows]


@dataclass(frozen=True, slots=True)
class MarkedLabel:
    """A label of the body that stands marked by a scan threshold (a mark it may lift)."""

    label_id: int
    gtin: str
    serial: str
    product: str
    label_status: str
    reasons: tuple[str, ...]
    marked_at: datetime


def marked_labels(
    *, session: Session, body_id: int, before: int | None, limit: int
) -> list[MarkedLabel]:
    """The body's labels with a standing scan-threshold mark, newest label first (keyset
    on the label id)."""
    page = _marked_label_ids(session=session, body_id=body_id, before=before, limit=limit)
    if not page:
        return []
    query = (
        sa_select(
            col(Label.id),
            col(Label.gtin),
            col(Label.serial),
            col(ProductLine.name),
            col(Label.status),
            col(LabelMark.reason),
            col(LabelMark.created_at),
        )
        .join(LabelMark, col(LabelMark.label_id) == col(Label.id))
        .join(Certificate, col(Certificate.id) == col(Label.certificate_id))
        .join(LabelBatch, col(LabelBatch.id) == col(Label.batch_id))
        .join(ProductLine, col(ProductLine.id) == col(LabelBatch.product_line_id))
        .where(*_standing_threshold_mark(body_id), col(Label.id).in_(page))
    )
    marks: dict[int, list[tuple[Any, ...]]] = {}
    for row in session.execute(query).all():
        marks.setdefault(int(row[0]), []).append(tuple(row))
    return [_marked_label(label_id, marks[label_id]) for label_id in page]


def _standing_threshold_mark(body_id: int) -> tuple[ColumnElement[bool], ...]:
    """A label of the body whose joined mark is a scan threshold's and is not lifted."""
    return (
        col(Certificate.body_id) == body_id,
        col(LabelMark.lift_id).is_(None),
        col(LabelMark.reason).in_(sorted(THRESHOLD_REASONS)),
    )


def _marked_label_ids(
    *, session: Session, body_id: int, before: int | None, limit: int
) -> list[int]:
    """One page of the ids of the body's marked labels, newest first, below ``before``."""
    ids = (
        sa_select(col(Label.id))
        .join(LabelMark, col(LabelMark.label_id) == col(Label.id))
        .join(Certificate, col(Certificate.id) == col(Label.certificate_id))
        .where(*_standing_threshold_mark(body_id))
        .distinct()
    )
    if before is not None:
        ids = ids.where(col(Label.id) < before)
    return [row[0] for row in session.execute(ids.order_by(col(Label.id).desc()).limit(limit))]


def _marked_label(label_id: int, marks: list[tuple[Any, ...]]) -> MarkedLabel:
    """One label from its rows, one per standing mark: all its reasons, the first mark's time."""
    _, gtin, serial, product, status, _, _ = marks[0]
    return MarkedLabel(
        label_id=label_id,
        gtin=str(gtin),
        serial=str(serial),
        product=str(product),
        label_status=str(status),
        reasons=tuple(sorted({str(mark[5]) for mark in marks})),
        marked_at=min(mark[6] for mark in marks),
    )


def label_of_body(*, session: Session, label_id: int, body_id: int) -> Label | None:
    """The label if its certificate is the body's (the body that certified its artisan)."""
    return session.exec(
        select(Label)
        .join(Certificate, col(Certificate.id) == col(Label.certificate_id))
        .where(Label.id == label_id, Certificate.body_id == body_id)
    ).first()
