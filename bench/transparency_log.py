"""Transparency-log benchmark: batch appends and inclusion proofs.

    uv run python bench/transparency_log.py [--leaves 1000000] [--samples 3000]
        [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres]

Figures first, then, LAST, the two ratios the issue sets as goals:

1. appending a batch of 100,000 label leaves through ``append_events`` (serialise and
   validate each event, hash it, extend the tree, insert the leaves and every completed
   subtree, commit) against the baseline on the same database in the same run: hashing the
   same leaf data and inserting it with one plain ``executemany`` into a table shaped like
   ``log_entry`` (same columns, same leaf-hash index), then commit. Goal: >= 0.50.
2. the median time of an inclusion proof (one statement: the leaf and its O(log n)
   subtrees) at 1,000,000 leaves over the median at 10,000 leaves. Goal: <= 1.5.

The 1,000,000-leaf log is built through the same batch appender, 100,000 leaves at a time.
Every database is a fresh file (or a fresh PostgreSQL database) in a temporary directory.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scratch import scratch_database  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from core.db import new_session  # noqa: E402
from labeling.translog import LogEvent, append_events  # noqa: E402
from labeling.translog.events import canonical_payload  # noqa: E402
from labeling.translog.proofs import prove_inclusion  # noqa: E402
from labeling.translog.store import StoredSubtrees  # noqa: E402
from labeling.translog.tree import tree_root  # noqa: E402
from schemas.types import utcnow  # noqa: E402
from verify.merkle import verify_inclusion  # noqa: E402

BATCH = 100_000


def label_events(count: int, offset: int = 0) -> list[LogEvent]:
    """What issuing a batch of labels logs: one leaf per label, ids and hashes only."""
    return [
        LogEvent(
            "label.issued",
            {
                "gtin": "06111234000019",
                "serial": f"{offset + i:010d}",
                "certificate": "C-1D1FG6Y",
                "kid": "1a2b3c4d",
                "claim": hashlib.sha256((offset + i).to_bytes(8, "big")).hexdigest(),
            },
        )
        for i in range(count)
    ]


def _plain_table(url: str) -> None:
    sqlite = url.startswith("sqlite")
    with new_session(url) as session:
        connection = session.connection()
        connection.exec_driver_sql(
            "CREATE TABLE plain_leaf (leaf_index "
            + ("INTEGER" if sqlite else "BIGINT")
            + " PRIMARY KEY, event_type VARCHAR(40) NOT NULL, occurred_at "
            + ("DATETIME" if sqlite else "TIMESTAMPTZ")
            + " NOT NULL, payload TEXT NOT NULL, leaf_hash "
            + ("BLOB" if sqlite else "BYTEA")
            + " NOT NULL)"
        )
        connection.exec_driver_sql("CREATE INDEX ix_plain_leaf_hash ON plain_leaf (leaf_hash)")
        session.commit()


def time_append(url: str, events: list[LogEvent]) -> float:
    start = time.perf_counter()
    with new_session(url) as session:
        append_events(session, events)
        session.commit()
    return time.perf_counter() - start


def time_baseline(url: str, data: list[str], first: int) -> float:
    sqlite = url.startswith("sqlite")
    mark = "?" if sqlite else "%s"
    at = utcnow()
    when = at.strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else at
    start = time.perf_counter()
    sha256 = hashlib.sha256
    hashes = [sha256(b"\x00" + d.encode("utf-8")).digest() for d in data]
    with new_session(url) as session:
        session.connection().exec_driver_sql(
            f"INSERT INTO plain_leaf VALUES ({mark}, {mark}, {mark}, {mark}, {mark})",
            [
                (first + i, "label.issued", when, d, h)
                for i, (d, h) in enumerate(zip(data, hashes, strict=True))
            ],
        )
        session.commit()
    return time.perf_counter() - start


def bench_batches(url: str, rounds: int = 3) -> tuple[float, float]:
    """Best seconds per 100,000-leaf batch over ``rounds`` alternated runs (the ``timeit``
    convention: the minimum is the run least disturbed by other load on the machine):
    ``(append_events, baseline)``."""
    _plain_table(url)
    ours: list[float] = []
    base: list[float] = []
    for round_ in range(rounds):
        events = label_events(BATCH, offset=round_ * BATCH)
        at = utcnow()
        data = [canonical_payload(e.event_type, at, e.payload) for e in events]
        ours.append(time_append(url, events))
        base.append(time_baseline(url, data, round_ * BATCH))
    return min(ours), min(base)


def build(url: str, leaves: int) -> float:
    start = time.perf_counter()
    for offset in range(0, leaves, BATCH):
        time_append(url, label_events(min(BATCH, leaves - offset), offset))
    return time.perf_counter() - start


def median_proofs_us(
    urls_sizes: list[tuple[str, int]], samples: int, rng: random.Random
) -> list[float]:
    """Median wall time of one inclusion proof (statement + assembly) in each log, in µs.

    The logs are sampled in turn, one proof each, so that load from other processes on the
    machine falls on all of them alike.
    """
    with ExitStack() as stack:
        logs = []
        for url, size in urls_sizes:
            session = stack.enter_context(new_session(url))
            connection = session.connection()
            root = tree_root(size, StoredSubtrees(connection))
            indexes = [rng.randrange(size) for _ in range(samples)]
            for index in indexes[:100]:  # warm up, and check that the proofs are right
                proof = prove_inclusion(connection, leaf_index=index, tree_size=size)
                verify_inclusion(
                    leaf_index=index,
                    tree_size=size,
                    leaf_hash=proof.leaf_hash,
                    proof=proof.path,
                    root=root,
                )
            logs.append((connection, size, indexes))
        timings: list[list[int]] = [[] for _ in logs]
        clock = time.perf_counter_ns
        for sample in range(samples):
            for (connection, size, indexes), spent in zip(logs, timings, strict=True):
                start = clock()
                prove_inclusion(connection, leaf_index=indexes[sample], tree_size=size)
                spent.append(clock() - start)
    return [statistics.median(spent) / 1000 for spent in timings]


def _size_mb(url: str) -> str:
    if url.startswith("sqlite"):
        path = Path(make_url(url).database or "")
        total = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
        return f"{total / 1e6:.0f} MB"
    with new_session(url) as session:
        value = session.connection().exec_driver_sql("SELECT pg_database_size(current_database())")
        return f"{value.scalar_one() / 1e6:.0f} MB"


def run(kind: str, args: argparse.Namespace, workdir: Path) -> tuple[float, float]:
    rng = random.Random(9162)
    print(f"\n== {kind}")
    with scratch_database(kind, workdir, "batch", args.postgres) as url:
        ours, base = bench_batches(url)
        print(f"append_events, 100,000 leaves:  {ours:6.2f} s  ({BATCH / ours:9,.0f} leaves/s)")
        print(f"baseline hash + executemany:    {base:6.2f} s  ({BATCH / base:9,.0f} leaves/s)")
    with (
        scratch_database(kind, workdir, "small", args.postgres) as small_url,
        scratch_database(kind, workdir, "large", args.postgres) as large_url,
    ):
        build(small_url, 10_000)
        seconds = build(large_url, args.leaves)
        print(
            f"built {args.leaves:,} leaves in {seconds:.1f} s "
            f"({args.leaves / seconds:,.0f} leaves/s), database {_size_mb(large_url)}"
        )
        small, large = median_proofs_us(
            [(small_url, 10_000), (large_url, args.leaves)], args.samples, rng
        )
        print(f"inclusion proof, 10,000 leaves:    median {small:7.1f} us")
        print(f"inclusion proof, {args.leaves:,} leaves: median {large:7.1f} us")
    return base / ours, large / small


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--leaves", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=3000)
    parser.add_argument("--postgres", help="also run on PostgreSQL (an admin URL)")
    args = parser.parse_args()
    results: dict[str, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory(prefix="khatem-bench-") as tmp:
        results["sqlite"] = run("sqlite", args, Path(tmp))
        if args.postgres:
            results["postgresql"] = run("postgresql", args, Path(tmp))
    print("\n== ratios (goals: batch >= 0.50, proofs <= 1.5)")
    for kind, (batch, proofs) in results.items():
        print(f"{kind}: batch append / baseline rate = {batch:.2f}")
        print(f"{kind}: proof median {args.leaves:,} / 10,000 leaves = {proofs:.2f}")


if __name__ == "__main__":
    main()
