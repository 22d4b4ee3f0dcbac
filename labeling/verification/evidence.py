"""A label's marks as the verifier's :class:`~verify.verifier.CopyEvidence`.

A mark (``label_mark``) is evidence that a label was copied: a receipt by a second
retailer, a shipment that held it twice, a scan threshold crossed
(:mod:`labeling.verification.suspicion`), a clone confirmed by the certifying body. The
label row read on every scan counts its marks (:attr:`LabelRow.marks`); only a label that
has some costs a second statement, and its evidence is remembered per label and count
(marks are never edited, only added), so a copied label scanned again costs nothing more.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Final

from labeling.verification.facts import utc
from verify.canonical import canonical_json
from verify.decision import COPY_EVIDENCE_REASONS
from verify.verifier import CopyEvidence

__all__ = ["evidence_of", "evidence_text"]

_KNOWN: Final = frozenset(COPY_EVIDENCE_REASONS)


def evidence_text(
    *, countries: Sequence[str] = (), scans: int | None = None, window_days: int | None = None
) -> str:
    """What a threshold mark stores as its evidence (JSON; no personal data)."""
    stored: dict[str, Any] = {"window_days": window_days}
    if countries:
        stored["countries"] = sorted(countries)
    if scans is not None:
        stored["scans"] = scans
    return canonical_json(stored).decode()


def evidence_of(rows: Sequence[tuple[Any, ...]]) -> tuple[CopyEvidence, ...]:
    """The evidence of a label's mark rows ``(reason, created_at, evidence, receipt
    country, received_at, binding receipt country, its received_at)``: one piece per reason
    (the first mark of each), reasons this registry does not know left out. A label received
    by two retailers is told by its first receipt ("received by a retailer in Spain on 3
    March"); a shipment that held it twice by that shipment's receipt."""
    found: dict[str, CopyEvidence] = {}
    for reason, created_at, stored, country, received_at, first_country, first_at in rows:
        if reason not in _KNOWN or reason in found:
            continue
        if reason == "received_by_two_retailers" and first_country:
            country, received_at = first_country, first_at
        at = utc(received_at) or utc(created_at)
        extra = _decoded(stored)
        countries = extra.get("countries")
        scans = extra.get("scans")
        window = extra.get("window_days")
        found[reason] = CopyEvidence(
            reason=reason,
            on=at.date() if at is not None else None,
            country=str(country) if country else None,
            countries=tuple(str(c) for c in countries) if isinstance(countries, list) else (),
            scans=scans if isinstance(scans, int) and not isinstance(scans, bool) else None,
            window_days=window
            if isinstance(window, int) and not isinstance(window, bool)
            else None,
        )
    return tuple(found.values())


def _decoded(stored: Any) -> dict[str, Any]:
    if not stored:
        return {}
    try:
        value = json.loads(stored)
    except (TypeError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
