"""Marking a label as evidence of a copy, lifting a threshold mark, and telling the
retailers that received the label.

Every mark goes through :func:`mark_label`: a receipt by a second retailer or twice in one
shipment (:mod:`labeling.retailers.receipts`), a scan threshold crossed
(:mod:`labeling.verification.telemetry`), a clone confirmed by the certifying body (buyer
reports: reason ``confirmed_clone``). In the caller's transaction it adds the
``label_mark`` row and, the first time the label stands marked for that reason, writes a
``label.suspicious`` webhook event to the outbox
(:func:`labeling.webhooks.outbox.labels_changed`): committed or rolled back with the mark.
The SUSPICIOUS verdict reads the standing marks (:mod:`.evidence`).

**Lifting.** A scan threshold can be crossed by a genuine item (a trade fair, a shop's
display scanned all day). :func:`lift_marks` — the body administrator's decision, from the
cases workspace (:func:`labeling.reports.service.lift_label_marks`) — sets ``lift_id`` on the
label's standing threshold marks (they stay, for the record, but no verdict reads them) and
writes a ``label.mark_lifted`` event. The lift keeps a **baseline**: the label's scan
counters at that moment, for every day a threshold window can still reach. From then on
a threshold counts only the scans above the baseline (:func:`counts_since_lift`), so the
next flush of the same old counts does not mark the label again; scans after the lift that
cross a threshold on their own do. (Counts a worker still held in memory at the lift — at
most one flush interval, 5 s — are counted as after it.)

The scan telemetry's flush marks the labels of a batch that crossed a threshold with
:func:`mark_crossings`: one :func:`standing_marks` query for them all (which already stand
marked for the reason: lifted marks do not count), then, for each of the others, the same
mark as :func:`mark_label` makes — which for a threshold reason re-counts a lifted label's
scans since its lift and refuses the mark unless they alone cross the threshold.

**Two markers at once.** Nothing in the schema stops a second mark of a label for a reason
(``uq_label_mark`` includes ``retailer_id``, NULL for the marks of no retailer, and a
lifted label may be marked again). So both functions first lock the labels they may mark
(:func:`labeling.retailers.repository.lock_labels_for_marking`: their rows on PostgreSQL,
in id order; the writer lock on SQLite), then ask which stand marked, then mark, all in the
caller's transaction: two workers' flushes, or a flush and a receipt, that cross one
threshold for one label mark it once, and send one ``label.suspicious`` event.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from core.problems import Conflict
from core.settings import Settings, get_settings
from labeling.retailers import repository as retailers
from labeling.verification.evidence import evidence_text
from labeling.webhooks.outbox import labels_changed
from schemas.labels import Label
from schemas.retailers import THRESHOLD_REASONS, LabelMark, LabelMarkLift, MarkReason
from schemas.telemetry import UNKNOWN_COUNTRY, ScanCounter
from schemas.types import utcnow
from schemas.webhooks import WebhookEventType

__all__ = [
    "NothingToLift",
    "ScansSince",
    "counts_since_lift",
    "lift_marks",
    "mark_crossings",
    "mark_label",
    "standing_marks",
    "still_marked",
]

_CHUNK = 500


class NothingToLift(Conflict):
    slug = "no-mark-to-lift"
    title = "The label has no scan-threshold mark standing"


@dataclass(frozen=True, slots=True)
class ScansSince:
    """A label's scans within a threshold window, counting only those after its last lift."""

    scans: int
    countries: tuple[str, ...]


def standing_marks(
    session: Session, label_ids: Sequence[int], reason: MarkReason | str
) -> set[int]:
    """The labels among ``label_ids`` that stand marked for ``reason`` (a lifted mark does
    not stand)."""
    code = MarkReason(reason).value
    found: set[int] = set()
    ids = sorted(set(label_ids))
    for start in range(0, len(ids), _CHUNK):
        found.update(
            session.exec(
                select(LabelMark.label_id).where(
                    col(LabelMark.label_id).in_(ids[start : start + _CHUNK]),
                    LabelMark.reason == code,
                    col(LabelMark.lift_id).is_(None),
                )
            ).all()
        )
    return found


def _latest_lift(session: Session, label_id: int) -> LabelMarkLift | None:
    return session.exec(
        select(LabelMarkLift)
        .where(LabelMarkLift.label_id == label_id)
        .order_by(col(LabelMarkLift.id).desc())
    ).first()


def _baseline(lift: LabelMarkLift | None) -> dict[str, dict[str, int]]:
    if lift is None:
        return {}
    try:
        value = json.loads(lift.baseline)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _counters(session: Session, label_id: int, since: date) -> list[tuple[date, str, int]]:
    rows = session.execute(
        sa_select(col(ScanCounter.day), col(ScanCounter.country), col(ScanCounter.scans)).where(
            col(ScanCounter.label_id) == label_id, col(ScanCounter.day) >= since
        )
    ).all()
    return [(day, country, int(scans)) for day, country, scans in rows]


def counts_since_lift(
    session: Session, label_id: int, *, window_days: int, today: date
) -> ScansSince:
    """The label's scans (and known countries) over the ``window_days`` ending ``today``,
    less what its last lift's baseline already held: what a threshold may count."""
    since = today - timedelta(days=window_days - 1)
    baseline = _baseline(_latest_lift(session, label_id))
    scans = 0
    countries: set[str] = set()
    for day, country, count in _counters(session, label_id, since):
        before = baseline.get(day.isoformat(), {}).get(country, 0)
        after = count - before if isinstance(before, int) else count
        if after <= 0:
            continue
        scans += after
        if country != UNKNOWN_COUNTRY:
            countries.add(country)
    return ScansSince(scans, tuple(sorted(countries)))


def _threshold_evidence(
    session: Session, label_id: int, code: str, settings: Settings, at: datetime
) -> str | None:
    """For a label lifted before: the evidence its scans since the lift give for ``code``,
    or None when they alone do not cross the threshold."""
    if code == MarkReason.SCANNED_TOO_OFTEN.value:
        window = settings.suspicious_scan_window_days
        seen = counts_since_lift(session, label_id, window_days=window, today=at.date())
        if seen.scans <= settings.suspicious_scan_limit:
            return None
        return evidence_text(scans=seen.scans, window_days=window)
    window = settings.suspicious_country_window_days
    seen = counts_since_lift(session, label_id, window_days=window, today=at.date())
    if len(seen.countries) <= settings.suspicious_country_limit:
        return None
    return evidence_text(countries=seen.countries, window_days=window)


def mark_label(
    session: Session,
    *,
    label_id: int,
    reason: MarkReason | str,
    retailer_id: int | None = None,
    receipt_id: int | None = None,
    evidence: str | None = None,
    at: datetime | None = None,
    settings: Settings | None = None,
) -> bool:
    """Add the mark unless the same (label, reason, retailer) stands; whether it was added.
    Flushes, never commits: the caller's transaction holds the mark, its event, and the
    label's lock (``FOR UPDATE`` on PostgreSQL) until it ends.

    A threshold mark of a label lifted before is added only if the scans since the lift
    cross the threshold by themselves (``settings``: the thresholds; the process's by
    default), and then with their evidence."""
    code = MarkReason(reason).value
    at = at or utcnow()
    retailers.lock_labels_for_marking(session=session, label_ids=[label_id], for_update=True)
    first = not standing_marks(session, [label_id], code)
    if code in THRESHOLD_REASONS:
        return first and _mark_crossing(
            session, label_id, code, evidence, at, settings or get_settings()
        )
    mark = LabelMark(
        label_id=label_id,
        reason=code,
        retailer_id=retailer_id,
        receipt_id=receipt_id,
        evidence=evidence,
        created_at=at,
    )
    if not retailers.add_mark(session=session, mark=mark):
        return False
    if first:
        _tell(session, label_id, WebhookEventType.LABEL_SUSPICIOUS, code, at)
    return True


def mark_crossings(
    session: Session,
    *,
    reason: MarkReason | str,
    evidence: Mapping[int, str],
    at: datetime | None = None,
    settings: Settings | None = None,
) -> bool:
    """:func:`mark_label` for many labels that crossed one scan threshold (``evidence``:
    label id → what the counters show), asking once which of them stand marked for it
    already; whether any mark was added. Flushes, never commits: the labels stay locked
    (``FOR NO KEY UPDATE`` on PostgreSQL) until the caller's transaction ends."""
    code = MarkReason(reason).value
    if code not in THRESHOLD_REASONS:
        raise ValueError(f"{code!r} is not a scan threshold")
    if not evidence:
        return False
    at = at or utcnow()
    settings = settings or get_settings()
    retailers.lock_labels_for_marking(session=session, label_ids=list(evidence))
    standing = standing_marks(session, list(evidence), code)
    marked = False
    for label_id in sorted(evidence.keys() - standing):
        marked |= _mark_crossing(session, label_id, code, evidence[label_id], at, settings)
    return marked


def _mark_crossing(
    session: Session,
    label_id: int,
    code: str,
    evidence: str | None,
    at: datetime,
    settings: Settings,
) -> bool:
    """The threshold mark of a label that has none standing for ``code``, and its event;
    for a label lifted before, only if the scans since the lift cross the threshold by
    themselves (and then with their evidence). Whether it was added."""
    if _latest_lift(session, label_id) is not None:
        evidence = _threshold_evidence(session, label_id, code, settings, at)
        if evidence is None:
            return False
    session.add(LabelMark(label_id=label_id, reason=code, evidence=evidence, created_at=at))
    session.flush()
    _tell(session, label_id, WebhookEventType.LABEL_SUSPICIOUS, code, at)
    return True


def _tell(
    session: Session, label_id: int, event_type: WebhookEventType, reason: str, at: datetime
) -> None:
    label = session.get(Label, label_id)
    if label is not None:
        labels_changed(
            session,
            labels=[(label.id, label.gtin, label.serial, label.status)],
            event_type=event_type,
            to_status=label.status,
            reason_code=reason,
            at=at,
        )


def _snapshot(session: Session, label_id: int, since: date) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    for day, country, scans in _counters(session, label_id, since):
        counts.setdefault(day.isoformat(), {})[country] = scans
    return counts


def lift_marks(
    session: Session,
    *,
    label_id: int,
    lifted_by: int,
    note: str,
    settings: Settings,
    reasons: Iterable[str] | None = None,
    at: datetime | None = None,
) -> LabelMarkLift:
    """Lift the label's standing threshold marks (all, or those of ``reasons``): 409
    ``no-mark-to-lift`` if none stands. In the caller's transaction (flushes, never
    commits): the lift with its baseline, the marks' ``lift_id``, and one
    ``label.mark_lifted`` event per retailer that received the label."""
    at = at or utcnow()
    wanted = set(THRESHOLD_REASONS if reasons is None else reasons) & THRESHOLD_REASONS
    marks = session.exec(
        select(LabelMark)
        .where(
            LabelMark.label_id == label_id,
            col(LabelMark.reason).in_(sorted(wanted)),
            col(LabelMark.lift_id).is_(None),
        )
        .order_by(col(LabelMark.id))
    ).all()
    if not marks:
        raise NothingToLift("The label has no scan-threshold mark to lift.")
    days = max(settings.suspicious_scan_window_days, settings.suspicious_country_window_days)
    since = at.date() - timedelta(days=days - 1)
    lifted = sorted({mark.reason for mark in marks})
    lift = LabelMarkLift(
        label_id=label_id,
        reasons=",".join(lifted),
        note=note,
        lifted_by=lifted_by,
        lifted_at=at,
        baseline=json.dumps(_snapshot(session, label_id, since), sort_keys=True),
    )
    session.add(lift)
    session.flush()
    for mark in marks:
        mark.lift_id = lift.id
        session.add(mark)
    session.flush()
    _tell(session, label_id, WebhookEventType.LABEL_MARK_LIFTED, ",".join(lifted), at)
    return lift


def still_marked(session: Session, label_id: int) -> list[str]:
    """The reasons the label still stands marked for (after a lift: receipts, a clone)."""
    rows: Any = session.exec(
        select(LabelMark.reason)
        .where(LabelMark.label_id == label_id, col(LabelMark.lift_id).is_(None))
        .distinct()
    ).all()
    return sorted(str(reason) for reason in rows)
