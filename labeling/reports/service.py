"""Buyers report suspected fakes; the certifying body confirms a clone or dismisses the case.

* :func:`submit_report` — anonymous: checks the per-label daily limit, cleans the photo,
  opens the label's case for the body that certified its artisan (or joins the open one)
  and stores the report, in one transaction.
* :func:`decide_case` — an administrator of that body, and only of that body (any other
  caller gets 404, as if the case did not exist): ``confirm`` writes a ``label_mark``
  (``confirmed_clone``, no retailer: read by the SUSPICIOUS verdict) through
  :func:`labeling.verification.suspicion.mark_label`, which also writes the
  ``label.suspicious`` webhook event for the retailers that received the label, and
  optionally revokes the label through the label lifecycle (``counterfeit_suspected``,
  which sends ``label.revoked``); ``dismiss`` only closes the case. Either way one
  transparency-log leaf records the label, the decision, the case and the time — never
  what the buyer wrote, their photo or their contact.
* :func:`lift_label_marks` — an administrator of the body that certified the label lifts
  its scan-threshold marks, with a note (a trade fair: the scans were legitimate), through
  :func:`labeling.verification.suspicion.lift_marks` (the lift, its baseline and the
  ``label.mark_lifted`` webhook event); one transparency-log leaf ``label.mark_lifted``
  records the label, the reasons lifted and the reasons still standing — not the note,
  which stays in the database for the body.
* :func:`purge_personal_data` — the retention job (``khatem reports purge``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session

from core.auth import Principal
from core.calendar import registry_today
from core.problems import Conflict, NotFound, TooManyRequests, UnprocessableContent
from core.settings import Settings
from labeling.labels import lifecycle
from labeling.labels.lifecycle import LabelCommand
from labeling.reports import repository
from labeling.reports.photo import clean_photo
from labeling.translog.events import append_event
from labeling.verification.suspicion import (
    lift_marks,
    mark_label,
    standing_marks,
    still_marked,
)
from schemas.labels import Label, LabelStatus
from schemas.labels_api import LabelReasonCode
from schemas.reports import (
    CaseDecision,
    CaseStatus,
    FakeReport,
    FakeReportCreate,
    FakeReportReceived,
    ReportCase,
)
from schemas.retailers import THRESHOLD_REASONS, MarkReason
from schemas.types import utcnow

__all__ = [
    "BoughtInTheFuture",
    "CaseClosed",
    "CaseNotFound",
    "ReportedLabelNotFound",
    "decide_case",
    "CaseDetail",
    "LabelNotOfBody",
    "LiftDone",
    "MarkedPage",
    "lift_label_marks",
    "marked_labels",
    "CasePage",
    "case_detail",
    "case_of_body",
    "list_cases",
    "report_photo",
    "purge_personal_data",
    "reportable",
    "submit_report",
]

_DAY = timedelta(days=1)
#: The most daily scan counts a case page lists.
_SCAN_ROWS = 60
#: The log's event type of each decision.
LOG_EVENTS = {
    CaseDecision.CONFIRM: "label.clone_confirmed",
    CaseDecision.DISMISS: "label.report_dismissed",
}


class ReportedLabelNotFound(NotFound):
    slug = "label-not-found"
    title = "The registry issued no label with this GTIN and serial"


class BoughtInTheFuture(UnprocessableContent):
    slug = "bought-in-the-future"
    title = "The date of purchase lies in the future"


def reportable(*, session: Session, gtin: str, serial: str) -> bool:
    """Whether the registry issued this label (a report form is shown for it)."""
    found = repository.label_for_report(session=session, gtin=gtin, serial=serial)
    session.rollback()
    return found is not None


class CaseNotFound(NotFound):
    slug = "case-not-found"
    title = "No such case among your body's cases"


class CaseClosed(Conflict):
    slug = "case-closed"
    title = "The case was already decided"


def _label_limit(settings: Settings) -> TooManyRequests:
    return TooManyRequests(
        "This label has had as many reports as it takes in a day; its body has been told. "
        "Try again tomorrow.",
        slug="report-limit-label",
        headers={"Retry-After": "3600"},
        retry_after=3600,
        limit=settings.report_max_per_label_per_day,
    )


def submit_report(
    *, session: Session, settings: Settings, body: FakeReportCreate, photo: bytes | None
) -> FakeReportReceived:
    """Store a buyer's report in its label's case (opened if none is open)."""
    if body.bought_on is not None and body.bought_on > registry_today() + _DAY:
        raise BoughtInTheFuture("bought_on lies in the future.")
    label = repository.label_for_report(
        session=session, gtin=body.gtin, serial=body.serial, lock=True
    )
    if label is None:
        raise ReportedLabelNotFound(
            "Check the GTIN and serial printed under the QR code.", gtin=body.gtin
        )
    now = utcnow()
    recent = repository.reports_since(session=session, label_id=label.label_id, since=now - _DAY)
    if recent >= settings.report_max_per_label_per_day:
        session.rollback()
        raise _label_limit(settings)
    cleaned = None
    if photo:
        cleaned = clean_photo(
            photo,
            max_bytes=settings.report_photo_max_bytes,
            max_side=settings.report_photo_max_side,
        )
    case = repository.open_case(session=session, label_id=label.label_id) or ReportCase(
        label_id=label.label_id,
        body_id=label.body_id,
        status=CaseStatus.OPEN.value,
        opened_at=now,
    )
    case.reports_count += 1
    case.last_report_at = now
    report = FakeReport(
        case_id=0,
        label_id=label.label_id,
        item=body.item,
        shop_name=body.shop_name or "",
        city=body.city or "",
        country=body.country,
        bought_on=body.bought_on,
        contact_email=body.contact_email,
        photo=cleaned,
        created_at=now,
    )
    repository.add_report(session=session, case=case, report=report)
    session.commit()
    return FakeReportReceived(status="received", received_at=now)


def case_of_body(
    *, session: Session, principal: Principal, case_id: int, for_update: bool = False
) -> ReportCase:
    """The case if it is the caller's body's; 404 otherwise (whether or not it exists)."""
    case = repository.get_case(session=session, case_id=case_id, for_update=for_update)
    if case is None or principal.body_id is None or case.body_id != principal.body_id:
        raise CaseNotFound()
    return case


def _confirm(session: Session, label: Label) -> None:
    """The ``confirmed_clone`` mark (no retailer) and, the first time the label is marked
    so, its ``label.suspicious`` webhook event: one way for every mark."""
    assert label.id is not None
    mark_label(session, label_id=label.id, reason=MarkReason.CONFIRMED_CLONE)


def decide_case(
    *,
    session: Session,
    principal: Principal,
    case_id: int,
    decision: CaseDecision,
    revoke: bool = False,
) -> ReportCase:
    """Close an open case of the caller's body: confirm a clone (and revoke, if asked) or
    dismiss it. 404 ``case-not-found`` for anyone else's case, 409 ``case-closed`` if it
    was decided already. One transaction: the mark, the webhook event, the log leaf, the
    case, and the revocation when there is one."""
    case = case_of_body(session=session, principal=principal, case_id=case_id, for_update=True)
    if case.status != CaseStatus.OPEN.value:
        session.rollback()
        raise CaseClosed(status=case.status)
    label = session.get(Label, case.label_id)
    assert label is not None and case.id is not None
    now = utcnow()
    revocable = label.status in (LabelStatus.ACTIVE.value, LabelStatus.SUSPENDED.value)
    will_revoke = decision is CaseDecision.CONFIRM and revoke and revocable
    if decision is CaseDecision.CONFIRM:
        _confirm(session, label)
    append_event(
        session,
        event_type=LOG_EVENTS[decision],
        payload={
            "gtin": label.gtin,
            "serial": label.serial,
            "case": case.id,
            "decision": "confirmed_clone" if decision is CaseDecision.CONFIRM else "dismissed",
            "revoked": will_revoke,
        },
    )
    confirmed = decision is CaseDecision.CONFIRM
    case.status = (CaseStatus.CONFIRMED if confirmed else CaseStatus.DISMISSED).value
    case.closed_at = now
    case.decided_by = principal.user_id
    case.revoked = will_revoke
    session.add(case)
    session.flush()
    if will_revoke:
        # The lifecycle logs label.revoked, tells the retailers, and commits it all with ours.
        lifecycle.change_label(
            session=session,
            principal=principal,
            label_id=label.id,  # type: ignore[arg-type]
            command=LabelCommand.REVOKE,
            reason=LabelReasonCode.COUNTERFEIT_SUSPECTED,
        )
    else:
        session.commit()
    session.refresh(case)
    return case


def purge_personal_data(*, session: Session, settings: Settings) -> int:
    """Erase the contact, photo and description of the reports of cases closed more than
    ``report_retention_days`` ago. Returns how many cases were purged."""
    now = utcnow()
    count = repository.purge_closed_cases(
        session=session,
        closed_before=now - timedelta(days=settings.report_retention_days),
        at=now,
    )
    session.commit()
    return count


# --- What the body's administrators read ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class CasePage:
    rows: list[repository.CaseRow]
    #: Pass as ``before`` for the next (older) page; None on the last page.
    next_before: int | None


@dataclass(frozen=True, slots=True)
class ReceiptView:
    retailer: str
    country: str
    shipment_ref: str
    received_at: datetime
    binds: bool


@dataclass(frozen=True, slots=True)
class CaseDetail:
    row: repository.CaseRow
    reports: list[FakeReport]
    receipts: list[ReceiptView]
    #: The label's daily scan counts, newest first: (day, country or "", scans).
    scans: list[tuple[date, str, int]]
    #: The scan-threshold reasons the label stands marked for (the body may lift them).
    liftable: tuple[str, ...] = ()


def list_cases(
    *, session: Session, principal: Principal, closed: bool, before: int | None, limit: int
) -> CasePage:
    """A page of the caller's body's cases, newest first (keyset on the case id)."""
    if principal.body_id is None:
        return CasePage([], None)
    rows = repository.list_cases(
        session=session, body_id=principal.body_id, closed=closed, before=before, limit=limit + 1
    )
    more = len(rows) > limit
    rows = rows[:limit]
    return CasePage(rows, rows[-1].case.id if more and rows else None)


def case_detail(*, session: Session, principal: Principal, case_id: int) -> CaseDetail:
    """A case of the caller's body with its reports and its label's receipts (404 else)."""
    case_of_body(session=session, principal=principal, case_id=case_id)
    row = repository.case_row(session=session, case_id=case_id)
    assert row is not None
    reports = repository.reports_of_case(session=session, case_id=case_id)
    receipts = [
        ReceiptView(
            retailer=name,
            country=receipt.country,
            shipment_ref=receipt.shipment_ref,
            received_at=receipt.received_at,
            binds=receipt.binds,
        )
        for receipt, name in repository.receipts_of_label(
            session=session, label_id=row.case.label_id
        )
    ]
    label_id = row.case.label_id
    scans = repository.scans_of_label(session=session, label_id=label_id, limit=_SCAN_ROWS)
    liftable = tuple(
        reason
        for reason in sorted(THRESHOLD_REASONS)
        if standing_marks(session, [label_id], reason)
    )
    return CaseDetail(row, reports, receipts, scans, liftable)


def report_photo(*, session: Session, principal: Principal, case_id: int, report_id: int) -> bytes:
    """A report's photo, for its case's body only (404 for anyone else, or no photo)."""
    case_of_body(session=session, principal=principal, case_id=case_id)
    report = repository.get_report(session=session, report_id=report_id)
    if report is None or report.case_id != case_id or not report.photo:
        raise NotFound("This report has no photo.", slug="photo-not-found")
    return report.photo


# --- Lifting a scan-threshold mark -----------------------------------------------------


class LabelNotOfBody(NotFound):
    slug = "label-not-found"
    title = "No such label among your body's labels"


@dataclass(frozen=True, slots=True)
class MarkedPage:
    rows: list[repository.MarkedLabel]
    #: Pass as ``before`` for the next page; None on the last page.
    next_before: int | None


@dataclass(frozen=True, slots=True)
class LiftDone:
    label_id: int
    lifted: tuple[str, ...]
    #: Reasons the label still stands marked for (receipts, a confirmed clone): SUSPICIOUS.
    still: tuple[str, ...]


def marked_labels(
    *, session: Session, principal: Principal, before: int | None, limit: int
) -> MarkedPage:
    """A page of the caller's body's labels standing marked by a scan threshold."""
    if principal.body_id is None:
        return MarkedPage([], None)
    rows = repository.marked_labels(
        session=session, body_id=principal.body_id, before=before, limit=limit + 1
    )
    more = len(rows) > limit
    rows = rows[:limit]
    return MarkedPage(rows, rows[-1].label_id if more and rows else None)


def lift_label_marks(
    *, session: Session, principal: Principal, settings: Settings, label_id: int, note: str
) -> LiftDone:
    """Lift the label's scan-threshold marks (404 ``label-not-found`` unless the label is
    the caller's body's; 409 ``no-mark-to-lift`` if none stands). One transaction: the lift,
    the webhook events, the log leaf."""
    if principal.body_id is None:
        raise LabelNotOfBody()
    label = repository.label_of_body(session=session, label_id=label_id, body_id=principal.body_id)
    if label is None or label.id is None:
        raise LabelNotOfBody()
    try:
        lift = lift_marks(
            session,
            label_id=label.id,
            lifted_by=principal.user_id,
            note=note,
            settings=settings,
        )
    except Exception:
        session.rollback()
        raise
    lifted = tuple(lift.reasons.split(","))
    still = tuple(still_marked(session, label.id))
    append_event(
        session,
        event_type="label.mark_lifted",
        payload={
            "gtin": label.gtin,
            "serial": label.serial,
            "lift": lift.id,
            "lifted": list(lifted),
            "still_marked": list(still),
        },
    )
    session.commit()
    return LiftDone(label.id, lifted, still)
