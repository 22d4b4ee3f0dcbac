"""SIGKILL in the middle of appends and checkpoints leaves a log that still verifies.

A subprocess appends batches (and signs checkpoints) in a loop; it is killed with SIGKILL
at random moments, several times, then restarted. Afterwards:

* leaf indexes are dense and every leaf hash matches its data (no gap, no torn row);
* every entry the writer reported as committed is there, exactly once (no lost entry);
* the root recomputed from the leaves equals the root from the stored subtrees, and every
  checkpoint's root is the recomputed root of its size, signed by the root key.
"""

from __future__ import annotations

import json
import random
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.db import new_session
from core.settings import Settings
from labeling.keyrecords import repository
from labeling.startup import prepare_registry
from labeling.translog.integrity import verify_log
from labeling.translog.store import StoredSubtrees, tree_size
from labeling.translog.tree import tree_root
from schemas.keys import KeyPurpose
from tests.translog.helpers import root_from_data
from verify.checkpoint import VerifierKey

REPO = Path(__file__).resolve().parents[2]
KILLS = 5


def _run_and_kill(settings: Settings, writer: str, rng: random.Random) -> list[str]:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.translog.appender_process",
            settings.resolved_database_url,
            writer,
            "--max-batch",
            "200",
            "--data-dir",
            str(settings.data_dir),
            "--checkpoint-every",
            "3",
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "ready"
    # Kill only once the writer has committed something (on a loaded machine its first
    # commit can take longer than the random delay), then at a random moment after.
    first: list[str] = []
    deadline = time.monotonic() + 60  # a bound on waiting, not an assertion on speed
    while not first and time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], 1.0)
        if ready:
            line = process.stdout.readline()
            if line.startswith("committed"):
                first.append(line.strip())
    time.sleep(rng.uniform(0.2, 1.2))
    process.send_signal(signal.SIGKILL)
    out, _ = process.communicate(timeout=60)
    assert process.returncode == -signal.SIGKILL
    return first + [line for line in out.splitlines() if line.startswith("committed")]


@pytest.mark.slow
def test_sigkill_mid_append_leaves_a_verifiable_log(settings: Settings) -> None:
    prepare_registry(settings)
    rng = random.Random(20261122)
    reported: dict[tuple[str, int], int] = {}
    for kill in range(KILLS):
        writer = f"w{kill}"
        for line in _run_and_kill(settings, writer, rng):
            _, first, count, seq = line.split()
            for k in range(int(count)):
                reported[writer, int(seq) + k] = int(first) + k
    assert reported, "the writer never committed anything before being killed"
    with new_session(settings.resolved_database_url) as session:
        connection = session.connection()
        roots = repository.list_keys(session=session, purpose=KeyPurpose.ROOT)
        keys = [VerifierKey(settings.log_origin, key.public_key) for key in roots]
        report = verify_log(connection, verifier_keys=keys)
        size = tree_size(connection)
        assert report.checkpoints_checked >= 1
        assert tree_root(size, StoredSubtrees(connection)) == root_from_data(connection)
        rows = connection.exec_driver_sql("SELECT leaf_index, payload FROM log_entry")
        stored = {}
        for index, data in rows:
            document = json.loads(data)
            if "writer" in document:
                stored[document["writer"], document["seq"]] = int(index)
    # Every reported commit survived, at the index it was given; nothing else appeared twice.
    assert {key: stored.get(key) for key in reported} == reported
    assert len(set(stored.values())) == len(stored)
