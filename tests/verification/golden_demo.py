"""The demo registry's labels as a retailer scans them (label URL, JSON), for the golden
test: what depends on the day the demo is loaded (dates, times, keys, serials, random
certificate codes) is replaced by a stable token, everything else is kept as it is.

``golden/demo-v1.json`` holds these verdicts as the registry answered them before the
verdict became one pydantic model; the test loads the demo again and compares.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session

from verify.label_codec import encode_label_uri

__all__ = ["demo_labels", "normalise", "scan_json"]

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
_CERTIFICATE = re.compile(r"C-[0-9A-Z]{7}")
_VOLATILE = {"kid": "<kid>", "serial": "<serial>"}


def demo_labels(session: Session, label_host: str) -> list[tuple[str, str]]:
    """(name, label URI) of the first two labels of every demo batch, in issue order."""
    rows = session.execute(
        text(
            "SELECT l.batch_id, l.status, l.gtin, l.serial, l.kid, l.issued_at, c.code, "
            "l.signature FROM label l JOIN certificate c ON c.id = l.certificate_id "
            "ORDER BY l.batch_id, l.id"
        )
    ).all()
    session.rollback()
    chosen: list[tuple[str, str]] = []
    ranks: dict[int, int] = {}
    taken: dict[int, int] = {}
    for batch_id, status, gtin, serial, kid, issued_at, code, signature in rows:
        rank = ranks.setdefault(batch_id, len(ranks))
        if taken.get(batch_id, 0) == 2:
            continue
        taken[batch_id] = taken.get(batch_id, 0) + 1
        uri = encode_label_uri(
            host=label_host,
            gtin=gtin,
            serial=serial,
            kid=kid,
            issued_at=_utc(issued_at),
            certificate_code=int(code),
            signature=bytes(signature),
        )
        chosen.append((f"batch{rank}-label{taken[batch_id]}-{status}", uri))
    return chosen


def _utc(value: Any) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)  # type: ignore[no-any-return]


def scan_json(client: TestClient, uri: str) -> Any:
    path = "/" + uri.split("://", 1)[1].split("/", 1)[1]
    response = client.get(path, headers={"Accept": "application/json"})
    assert response.status_code == 200, response.text
    return response.json()


def normalise(value: Any, key: str = "") -> Any:
    """``value`` with its day-dependent parts (a date, an instant, a key id, a serial, a
    certificate code) replaced by a token."""
    if isinstance(value, dict):
        return {name: normalise(item, name) for name, item in value.items()}
    if isinstance(value, list):
        return [normalise(item, key) for item in value]
    if not isinstance(value, str):
        return value
    if key in _VOLATILE:
        return _VOLATILE[key]
    if _INSTANT.fullmatch(value):
        return "<instant>"
    if _DAY.fullmatch(value):
        return "<day>"
    return _CERTIFICATE.sub("<certificate>", value)
