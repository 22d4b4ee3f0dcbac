"""A worker trusts its remembered verdicts only while its last read of the registry's state
version began less than TRUST_SECONDS ago, so no change is missed for more than a second."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import text

from labeling.verification.freshness import TRUST_SECONDS, StateVersion, StateWatch

DAY = date(2026, 12, 7)


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _watch(clock: Clock, versions: list[StateVersion | Exception]) -> StateWatch:
    def read() -> StateVersion:
        answer = versions.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    watch = StateWatch(read, clock=clock)
    watch._thread = object()  # type: ignore[assignment]  # polled by hand: no thread
    return watch


def test_nothing_is_trusted_before_the_first_read() -> None:
    assert _watch(Clock(), [(1, 0, DAY)]).version() is None


def test_a_recent_read_is_trusted_and_an_old_one_is_not() -> None:
    clock = Clock()
    watch = _watch(clock, [(5, 4, DAY)])
    watch.poll_once()
    clock.now += TRUST_SECONDS / 2
    assert watch.version() == (5, 4, DAY)
    clock.now += TRUST_SECONDS / 2
    assert watch.version() is None  # the thread stalled: read the database


def test_a_failed_read_withdraws_trust_at_once(caplog: pytest.LogCaptureFixture) -> None:
    clock = Clock()
    watch = _watch(clock, [(5, 4, DAY), ConnectionError("server closed the connection")])
    watch.poll_once()
    assert watch.version() is not None
    watch.poll_once()
    assert watch.version() is None
    assert "read from the database" in caplog.text


@given(
    schedule=st.lists(
        st.tuples(st.floats(min_value=0.0, max_value=2.0), st.floats(min_value=0.0, max_value=1.5)),
        min_size=1,
        max_size=30,
    ),
    change_at=st.floats(min_value=0.0, max_value=30.0),
    wait=st.floats(min_value=0.0, max_value=5.0),
)
def test_no_version_older_than_a_change_is_handed_out_past_the_bound(
    schedule: list[tuple[float, float]], change_at: float, wait: float
) -> None:
    """Reads begin after arbitrary pauses and take arbitrary time (the database answers as
    of the read's start); a change is committed at ``change_at``. Asked at any time past
    ``change_at + TRUST_SECONDS``, the watch never hands out a version without the change."""
    clock = Clock()
    change_at += clock.now

    took = [0.0]

    def read() -> StateVersion:
        seen = 1 if clock.now > change_at else 0  # as of the read's start
        clock.now += took[0]  # the read takes this long
        return (seen, 0, DAY)

    watch = StateWatch(read, clock=clock)
    watch._thread = object()  # type: ignore[assignment]
    for pause, duration in schedule:
        clock.now += pause
        took[0] = duration
        watch.poll_once()
        version = watch.version()
        if clock.now > change_at + TRUST_SECONDS:
            assert version is None or version[0] == 1
    clock.now += wait
    version = watch.version()
    if clock.now > change_at + TRUST_SECONDS:
        assert version is None or version[0] == 1


def test_a_commit_in_this_process_moves_the_local_generation(db_url: str) -> None:
    """A worker reads its own writes at once, whatever the watch last saw."""
    from core.db import new_session
    from labeling.verification.freshness import local_generation

    before = local_generation()
    with new_session(db_url) as session:
        session.execute(text("UPDATE label_scheme SET name = name WHERE 1 = 0"))
        session.commit()
    assert local_generation() != before


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_the_state_version_moves_with_a_log_leaf_and_only_then(db_url: str) -> None:
    from core.db import new_session, read_session
    from labeling.translog.events import append_event
    from labeling.verification.freshness import _read_version

    first = _read_version(db_url)
    with read_session(db_url) as reader:
        reader.execute(text("SELECT count(*) FROM label"))
        reader.rollback()
    assert _read_version(db_url) == first  # reading changes nothing
    with new_session(db_url) as session:
        append_event(session, event_type="key.registered", payload={"kid": "00000000"})
        session.commit()
    assert _read_version(db_url) != first


def test_sqlite_remembers_nothing(db_url: str) -> None:
    from labeling.verification.freshness import state_watch

    assert (state_watch(db_url) is None) == db_url.startswith("sqlite")


def test_an_outage_is_logged_once_and_its_end_once(caplog: pytest.LogCaptureFixture) -> None:
    """A database that stays away for minutes does not fill the log five lines a second."""
    down = ConnectionError("connection refused")
    watch = _watch(Clock(), [down, down, down, (5, 4, DAY), down])
    for _ in range(5):
        watch.poll_once()
    messages = [record.getMessage() for record in caplog.records]
    assert [m for m in messages if "unreadable" in m] == [
        "state version unreadable: verdicts are read from the database"
    ] * 2  # the first outage, and the one after the database came back
    assert sum("readable again" in m for m in messages) == 1


def _until(condition: Callable[[], bool]) -> bool:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False


def test_a_watch_nobody_asks_stops_polling_and_the_next_scan_restarts_it() -> None:
    reads: list[float] = []

    def read() -> StateVersion:
        reads.append(time.monotonic())
        return (1, 0, DAY)

    watch = StateWatch(read, poll_seconds=0.01, idle_seconds=0.2)
    assert watch.version() is None  # starts the thread
    assert watch.polling
    assert _until(lambda: not watch.polling)
    count = len(reads)
    time.sleep(0.1)
    assert len(reads) == count  # stopped: no more reads
    watch.version()
    assert watch.polling
    assert _until(lambda: watch.version() == (1, 0, DAY))
    watch.stop()
    assert _until(lambda: not watch.polling)


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_releasing_a_database_stops_its_watch(db_url: str) -> None:
    from labeling.verification.freshness import release_state_watch, state_watch

    watch = state_watch(db_url)
    assert watch is not None
    watch.version()
    assert watch.polling
    release_state_watch(db_url)
    assert _until(lambda: not watch.polling)
    assert watch.version() is None  # stopped for good
    assert not watch.polling
    assert state_watch(db_url) is not watch  # a new one if the database is used again
    release_state_watch(db_url)
