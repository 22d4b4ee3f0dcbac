"""A label batch's log leaves: the uniform-events path writes exactly what the general
appender writes for the same events, and refuses what it would refuse."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import Session

from labeling.translog.events import (
    LogEventError,
    append_events,
    append_uniform_events,
    canonical_payload,
)

ROWS = [("0ABC12DEF3", "ab" * 32), ('quo"te\\é\u2028', "0" * 64), ("\x01ctl", "")]
COMMON = {"gtin": "06111234000019", "certificate": "C-1D1FG6Y", "kid": "1a2b3c4d"}


def _payloads(session: Session) -> list[tuple[str, str]]:
    rows = session.exec(  # type: ignore[call-overload]
        text("SELECT occurred_at, payload FROM log_entry ORDER BY leaf_index")
    ).all()
    return [(str(at), str(payload)) for at, payload in rows]


def test_uniform_events_are_the_canonical_leaves(session: Session) -> None:
    first = append_uniform_events(
        session,
        "label.issued",
        common=COMMON,
        columns={"serial": [s for s, _ in ROWS], "claim": [c for _, c in ROWS]},
    )
    second = append_events(
        session,
        [("label.issued", {**COMMON, "serial": s, "claim": c}) for s, c in ROWS],
    )
    stored = _payloads(session)
    session.rollback()
    assert second == first + len(ROWS)
    assert len(stored) == 2 * len(ROWS)
    for index, (at_text, payload) in enumerate(stored):
        serial, claim = ROWS[index % len(ROWS)]
        at = datetime.fromisoformat(at_text)
        at = at.replace(tzinfo=UTC) if at.tzinfo is None else at
        expected = canonical_payload(
            "label.issued", at, {**COMMON, "serial": serial, "claim": claim}
        )
        assert payload == expected


@pytest.mark.parametrize(
    ("common", "columns"),
    [
        ({"display_name": "x"}, {"serial": ["a"]}),  # personal data
        (COMMON, {"gtin": ["a"]}),  # a member in both
        (COMMON, {"type": ["a"]}),  # set by the log
        (COMMON, {"serial": [1]}),  # not a string
        (COMMON, {"serial": ["a", "b"], "claim": ["c"]}),  # columns of different lengths
        (COMMON, {"serial": ["x" * 513]}),  # too long
        (COMMON, {"serial": []}),  # nothing to append
        ({"n": 1.5}, {"serial": ["a"]}),  # a float has no canonical text
        ({"kid": "\x000\x00"}, {"serial": ["a"]}),  # a common value mimicking a marker
    ],
)
def test_uniform_events_refuse_what_the_log_refuses(
    session: Session, common: dict[str, Any], columns: dict[str, list[Any]]
) -> None:
    with pytest.raises(LogEventError):
        append_uniform_events(session, "label.issued", common=common, columns=columns)
    count = session.exec(text("SELECT COUNT(*) FROM log_entry")).one()[0]  # type: ignore[call-overload]
    session.rollback()
    assert count == 0
