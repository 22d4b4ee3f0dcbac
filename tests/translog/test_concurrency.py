"""Dense leaf indexes under concurrent writers: threads and processes, SQLite and PostgreSQL."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

from sqlmodel import Session

from core.db import new_session
from labeling.translog import LogEvent, append_events
from labeling.translog.integrity import verify_log
from labeling.translog.store import tree_size

REPO = Path(__file__).resolve().parents[2]


def _writers_payloads(session: Session) -> Counter[tuple[str, int]]:
    rows = session.connection().exec_driver_sql("SELECT payload FROM log_entry")
    found: Counter[tuple[str, int]] = Counter()
    for (data,) in rows:
        document = json.loads(data)
        if "writer" in document:
            found[document["writer"], document["seq"]] += 1
    return found


def test_concurrent_threads_never_share_or_skip_an_index(db_url: str) -> None:
    errors: list[BaseException] = []
    per_thread, threads = 15, 4

    def write(writer: str) -> None:
        try:
            seq = 0
            for round_ in range(per_thread):
                count = round_ % 4 + 1
                with new_session(db_url) as session:
                    append_events(
                        session,
                        [
                            LogEvent("test.append", {"writer": writer, "seq": seq + k})
                            for k in range(count)
                        ],
                    )
                    if round_ % 5 == 4:
                        session.rollback()  # an abandoned transaction leaves no gap
                        continue
                    session.commit()
                seq += count
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    workers = [threading.Thread(target=write, args=(f"t{i}",)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
    assert not errors, errors
    with new_session(db_url) as session:
        report = verify_log(session.connection())
        found = _writers_payloads(session)
    expected_per_thread = sum(r % 4 + 1 for r in range(per_thread) if r % 5 != 4)
    assert report.tree_size == threads * expected_per_thread
    assert set(found.values()) == {1}
    assert Counter(writer for writer, _ in found) == {
        f"t{i}": expected_per_thread for i in range(threads)
    }


def test_concurrent_processes_never_share_or_skip_an_index(db_url: str) -> None:
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.translog.appender_process",
                db_url,
                f"p{i}",
                "--transactions",
                "12",
                "--max-batch",
                "8",
            ],
            cwd=REPO,
            stdout=subprocess.PIPE,
            text=True,
        )
        for i in range(3)
    ]
    committed = 0
    for process in processes:
        out, _ = process.communicate(timeout=180)
        assert process.returncode == 0
        committed += sum(
            int(line.split()[2]) for line in out.splitlines() if line.startswith("committed")
        )
    with new_session(db_url) as session:
        assert tree_size(session.connection()) == committed
        report = verify_log(session.connection())
        found = _writers_payloads(session)
    assert report.tree_size == committed
    assert sum(found.values()) == committed and set(found.values()) == {1}
