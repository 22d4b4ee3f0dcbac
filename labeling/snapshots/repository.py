"""Reading what the status snapshots publish: public facts only, in a few set queries.

Nothing personal is selected (no national id, phone, address, free-text reason, internal
id): the documents are built from the columns named here and nothing else.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from labeling.verification.facts import load_certificates, session_runner
from labeling.verification.items import IN_SCOPE, load_items
from verify.item import ItemFacts
from verify.snapshot import label_hash
from verify.verdict import CertificateFacts

__all__ = [
    "ListedLabels",
    "certificate_facts",
    "certificates_fingerprint",
    "item_facts",
    "labels_fingerprint",
    "listed_labels",
]

#: The reason recorded for a status without one (older rows).
UNSPECIFIED = "unspecified"


@dataclass(frozen=True, slots=True)
class ListedLabels:
    """Labels that are not active, as snapshot hashes grouped by (status, reason)."""

    groups: dict[tuple[str, str], list[bytes]]
    total_labels: int
    #: Labels with evidence of a copy (``label_mark``), by reason code (SUSPICIOUS offline).
    suspicious: dict[str, list[bytes]] = field(default_factory=dict)


def _rows(session: Session, sql: str) -> list[Any]:
    return list(session.connection().exec_driver_sql(sql))


def labels_fingerprint(session: Session) -> tuple[Any, ...]:
    """Changes whenever a label's status changes (every change is a ``label_event`` row)
    or a label is marked as copied (a ``label_mark`` row) or its marks are lifted."""
    events = _rows(session, "SELECT max(id) FROM label_event")[0]
    marks = _rows(session, "SELECT max(id) FROM label_mark")[0]
    lifts = _rows(session, "SELECT max(id) FROM label_mark_lift")[0]
    return (*events, *marks, *lifts)


def listed_labels(session: Session) -> ListedLabels:
    """Every suspended or revoked label, hashed as docs/status-snapshots.md says."""
    groups: dict[tuple[str, str], list[bytes]] = defaultdict(list)
    rows = _rows(
        session,
        "SELECT gtin, serial, status, status_reason FROM label "
        "WHERE status IN ('suspended', 'revoked')",
    )
    for gtin, serial, status, reason in rows:
        groups[(status, reason or UNSPECIFIED)].append(label_hash(gtin, serial))
    total = int(_rows(session, "SELECT count(*) FROM label")[0][0])
    suspicious: dict[str, list[bytes]] = defaultdict(list)
    marked = _rows(
        session,
        "SELECT DISTINCT l.gtin, l.serial, m.reason FROM label_mark m "
        "JOIN label l ON l.id = m.label_id WHERE m.lift_id IS NULL",
    )
    for gtin, serial, reason in marked:
        suspicious[reason].append(label_hash(gtin, serial))
    return ListedLabels(dict(groups), total, dict(suspicious))


def certificates_fingerprint(session: Session) -> tuple[Any, ...]:
    """Changes when a certificate is added or changes status."""
    certificates = _rows(
        session, "SELECT count(*), max(id), max(status_changed_at) FROM certificate"
    )
    events = _rows(session, "SELECT max(id) FROM certificate_event")
    return (*certificates[0], *events[0])


def certificate_facts(session: Session) -> list[CertificateFacts]:
    """The public facts of every certificate (status as stored; expiry is derived later),
    through the one mapper of :mod:`labeling.verification.facts`."""
    run, mark = session_runner(session)
    return [record.facts for record in load_certificates(run, mark)]


def item_facts(session: Session) -> dict[str, ItemFacts]:
    """GTIN-14 → what its labels belong to, for every product line in a certificate's
    scope (text only: snapshots carry no photos), through :mod:`labeling.verification.items`."""
    run, mark = session_runner(session)
    found = load_items(run, mark, where=IN_SCOPE, photos=False)
    return dict(found.values())
