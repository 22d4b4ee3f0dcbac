"""Appending: dense indexes, subtrees written in the same transaction, bad events refused."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

import pytest
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from core.db import new_session
from labeling.translog import LogEvent, LogEventError, append_event, append_events
from labeling.translog import frontier as frontier_module
from labeling.translog.events import canonical_payload
from labeling.translog.integrity import verify_log
from labeling.translog.store import StoredSubtrees, stored_node_count, tree_size
from labeling.translog.tree import tree_root
from tests.translog.helpers import root_from_data, seed_events


def test_append_event_returns_dense_indexes(session: Session) -> None:
    indexes = [append_event(session, event_type="test.event", payload={"n": n}) for n in range(5)]
    session.commit()
    assert indexes == [0, 1, 2, 3, 4]
    assert append_events(session, [LogEvent("test.batch", {"n": n}) for n in range(7)]) == 5
    session.commit()
    assert tree_size(session.connection()) == 12


def test_stored_subtrees_give_the_root_of_the_leaves(session: Session) -> None:
    for batch in (1, 2, 3, 10, 17, 64, 1):
        seed_events(session, batch)
    connection = session.connection()
    assert tree_root(98, StoredSubtrees(connection)) == root_from_data(connection)
    report = verify_log(connection)
    assert report.tree_size == 98
    assert report.nodes_checked == stored_node_count(98) == 98 // 8 + 98 // 16 + 98 // 32 + 98 // 64


def test_leaf_data_is_canonical_json_of_type_time_and_payload(session: Session) -> None:
    append_event(session, event_type="certificate.suspended", payload={"z": 1, "a": "é"})
    session.commit()
    data, leaf = (
        session.connection().exec_driver_sql("SELECT payload, leaf_hash FROM log_entry").one()
    )
    document = json.loads(data)
    assert list(document) == sorted(document)
    assert document["type"] == "certificate.suspended" and document["a"] == "é"
    assert data == json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert bytes(leaf) == hashlib.sha256(b"\x00" + data.encode()).digest()


def test_a_rolled_back_append_leaves_no_gap(db_url: str) -> None:
    with new_session(db_url) as first:
        seed_events(first, 3)
        append_events(first, [LogEvent("test.doomed", {"n": n}) for n in range(5)])
        first.rollback()
    with new_session(db_url) as second:
        assert append_event(second, event_type="test.after", payload={}) == 3
        second.commit()
        assert verify_log(second.connection()).tree_size == 4


def test_rolled_back_frontier_is_never_reused(db_url: str) -> None:
    """Same size, different leaves: the cache must not take a rolled-back frontier."""
    frontier_module.clear_cache()
    with new_session(db_url) as doomed:
        seed_events(doomed, 2)
        append_events(doomed, [LogEvent("test.doomed", {"n": n}) for n in range(3)])
        doomed.rollback()
    with new_session(db_url) as other:
        append_events(other, [LogEvent("test.kept", {"n": n}) for n in range(3)])
        other.commit()
    with new_session(db_url) as later:
        seed_events(later, 4)
        assert verify_log(later.connection()).tree_size == 9


def test_several_appends_in_one_transaction_chain_their_frontiers(session: Session) -> None:
    for n in range(6):
        append_events(session, [LogEvent("test.event", {"n": n, "m": m}) for m in range(n + 1)])
    session.commit()
    assert verify_log(session.connection()).tree_size == 21


def test_a_stale_cached_frontier_is_reloaded(db_url: str) -> None:
    """Another process appended: this process's cached size differs, so it reloads."""
    with new_session(db_url) as ours:
        seed_events(ours, 5)
    database = None
    with new_session(db_url) as probe:
        from labeling.translog.store import database_key

        database = database_key(probe)
    assert database is not None
    # Pretend this process last saw a smaller tree with a made-up edge.
    frontier_module._committed[database] = frontier_module.Frontier(database, 4, (b"\x07" * 32,))
    with new_session(db_url) as ours:
        seed_events(ours, 3)
        assert verify_log(ours.connection()).tree_size == 8


@pytest.mark.parametrize(
    ("event_type", "payload", "message"),
    [
        ("Certificate.Suspended", {}, "dotted lower case"),
        ("nodot", {}, "dotted lower case"),
        ("test.event", {"type": "x"}, "set by the log"),
        ("test.event", {"at": "x"}, "set by the log"),
        ("test.event", {"national_id": "AB123456"}, "personal"),
        ("test.event", {"phone": "+212600000000"}, "personal"),
        ("test.event", {"reason_text": "free text"}, "personal"),
        ("test.event", {"nested": {"email": "a@b"}}, "personal"),
        ("test.event", {"ratio": 0.5}, "float"),
        ("test.event", {"n": 2**60}, "53 bits"),
        ("test.event", {"s": "x" * 600}, "at most"),
        ("test.event", {"s": "\ud800"}, "surrogate"),
        ("test.event", {"when": datetime.now(UTC)}, "datetime"),
    ],
)
def test_bad_events_are_refused_before_touching_the_log(
    session: Session, event_type: str, payload: dict[str, object], message: str
) -> None:
    with pytest.raises(LogEventError, match=message):
        append_events(session, [LogEvent("test.ok", {}), LogEvent(event_type, payload)])
    session.rollback()
    assert tree_size(session.connection()) == 0


def test_an_empty_batch_is_refused(session: Session) -> None:
    with pytest.raises(LogEventError, match="nothing"):
        append_events(session, [])


def test_canonical_payload_needs_an_aware_time() -> None:
    with pytest.raises(LogEventError, match="timezone"):
        canonical_payload("test.event", datetime(2026, 1, 1), {})


@pytest.mark.parametrize("table", ["log_entry", "log_node", "log_checkpoint"])
def test_log_tables_refuse_update_and_delete(session: Session, table: str) -> None:
    seed_events(session, 16)  # two stored subtrees of level 3
    session.connection().exec_driver_sql(
        "INSERT INTO log_checkpoint (tree_size, root_hash, note, created_at) "
        "VALUES (0, X'00', 'x', CURRENT_TIMESTAMP)"
        if session.get_bind().dialect.name == "sqlite"
        else "INSERT INTO log_checkpoint (tree_size, root_hash, note, created_at) "
        "VALUES (0, '\\x00', 'x', now())"
    )
    session.commit()
    for statement in (f"DELETE FROM {table}", f"UPDATE {table} SET {_column(table)}"):
        with pytest.raises(DBAPIError, match="append-only"):
            session.connection().exec_driver_sql(statement)
        session.rollback()


def _column(table: str) -> str:
    return {"log_entry": "payload = ''", "log_node": "idx = idx + 1"}.get(table, "note = ''")
