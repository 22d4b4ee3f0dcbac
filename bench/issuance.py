"""Issuance benchmark: a batch of 100,000 labels, signed, stored and logged, against the raw
Ed25519 signing rate of ``cryptography`` measured in the same run on the same core.

    uv run python bench/issuance.py [--labels 100000] [--rounds 3]
        [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres]

The batch runs exactly as a background job does (:func:`labeling.labels.jobs.run_batch`):
claim the batch, draw serials, build the claims, sign them in chunks with progress and
lease renewals written between chunks, then in one transaction insert the labels and
append one ``label.issued`` leaf per label to the transparency log (chunked ``INSERT …
SELECT`` statements on SQLite, :mod:`core.bulk_insert`; ``COPY`` on PostgreSQL), and
commit. The registry is the demo registry
(catalogue and demo loaded into a fresh database); the key is a key-file signer.

The baseline signs the same number of claims of the same length with
``Ed25519PrivateKey.sign`` in a loop: nothing else.

Rates are per CPU second of this (single-threaded) process, the house convention for these
shared 2-core machines (wall clock mostly measures the neighbours); wall-clock figures are
printed alongside. On SQLite every step runs in this process, so CPU time is the whole
cost. On PostgreSQL the server's work runs in another process, so its ratio is given in
wall-clock time too, which charges the batch with the database's share. Rounds alternate
baseline and batch; each keeps its fastest round (the ``timeit`` convention).

Figures first; the LAST line is the ratio the issue sets as a goal (>= 0.70).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402
from scratch import scratch_database  # noqa: E402
from sqlalchemy import text  # noqa: E402
from sqlmodel import col, select  # noqa: E402

from core.db import migrate, new_session  # noqa: E402
from core.settings import Settings  # noqa: E402
from labeling.keycustody import ephemeral_signer  # noqa: E402
from labeling.labels import jobs  # noqa: E402
from labeling.labels.service import product_gtin  # noqa: E402
from schemas.certificates import Certificate, CertificateScope  # noqa: E402
from schemas.labels import LabelBatch  # noqa: E402
from schemas.registry import ProductLine  # noqa: E402
from verify.label_codec import claim_bytes, new_serial  # noqa: E402

T = TypeVar("T")


def _load(url: str) -> None:
    from labeling.catalog.loader import load_catalog
    from labeling.demo import load_demo

    migrate(url)
    with new_session(url) as session:
        load_catalog(session=session)
        load_demo(session=session)


def _queue_batch(url: str, quantity: int) -> int:
    """A queued background batch under the first active demo certificate."""
    with new_session(url) as session:
        certificate = session.exec(
            select(Certificate).where(Certificate.status == "active").order_by(col(Certificate.id))
        ).first()
        assert certificate is not None and certificate.id is not None
        scope = session.exec(
            select(CertificateScope).where(CertificateScope.certificate_id == certificate.id)
        ).first()
        assert scope is not None
        line = session.get(ProductLine, scope.product_line_id)
        assert line is not None
        batch = LabelBatch(
            body_id=certificate.body_id,
            certificate_id=certificate.id,
            artisan_id=certificate.artisan_id,
            product_line_id=scope.product_line_id,
            gtin=product_gtin(line),
            quantity=quantity,
            status="queued",
            request_hash="0" * 64,
            created_by=certificate.created_by,
            lease_owner=jobs.lease_owner(),
        )
        session.add(batch)
        session.commit()
        assert batch.id is not None
        return batch.id


def _timed(run: Callable[[], T]) -> tuple[T, float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    result = run()
    return result, time.process_time() - cpu, time.perf_counter() - wall


def _claims(count: int) -> list[bytes]:
    """Claims of realistic length (the signed bytes of a label), distinct serials."""
    from datetime import UTC, datetime

    at = datetime.now(UTC).replace(second=0, microsecond=0)
    return [
        claim_bytes(
            gtin="06111234000019",
            serial=new_serial(),
            kid="1a2b3c4d",
            issued_at=at,
            certificate_code=0x1234ABCD,
        )
        for _ in range(count)
    ]


def _sign_all(sign: Callable[[bytes], bytes], claims: list[bytes]) -> list[bytes]:
    return [sign(claim) for claim in claims]


def run(kind: str, args: argparse.Namespace, workdir: Path) -> tuple[float, float]:
    print(f"\n== {kind}")
    claims = _claims(args.labels)
    raw_key = Ed25519PrivateKey.generate()
    raw_cpu: list[float] = []
    ours_cpu: list[float] = []
    ours_wall: list[float] = []
    raw_wall: list[float] = []
    with (
        scratch_database(kind, workdir, "issuance", args.postgres, prepare=_load) as url,
        ephemeral_signer() as signer,
    ):
        settings = Settings(environment="test", database_url=url, data_dir=workdir)
        for _ in range(args.rounds):
            sign = raw_key.sign
            _, cpu, wall = _timed(partial(_sign_all, sign, claims))
            raw_cpu.append(cpu)
            raw_wall.append(wall)
            batch_id = _queue_batch(url, args.labels)
            status, cpu, wall = _timed(partial(jobs.run_batch, settings, batch_id, signer))
            assert status == "completed", status
            ours_cpu.append(cpu)
            ours_wall.append(wall)
        with new_session(url) as session:
            labels = session.exec(text("SELECT COUNT(*) FROM label")).one()[0]  # type: ignore[call-overload]
            leaves = session.exec(
                text("SELECT COUNT(*) FROM log_entry WHERE event_type = 'label.issued'")
            ).one()[0]  # type: ignore[call-overload]
            session.rollback()
        assert labels == leaves == args.labels * args.rounds, (labels, leaves)
    n = args.labels
    print(
        f"raw Ed25519 sign (cryptography), {n:,} claims: "
        f"{n / min(raw_cpu):9,.0f} /CPU-s   {n / min(raw_wall):9,.0f} /s wall"
    )
    print(
        f"batch of {n:,} labels, signed + stored + logged: "
        f"{n / min(ours_cpu):9,.0f} /CPU-s   {n / min(ours_wall):9,.0f} /s wall"
    )
    print(f"stored {labels:,} labels and {leaves:,} log leaves over {args.rounds} rounds")
    return min(raw_cpu) / min(ours_cpu), min(raw_wall) / min(ours_wall)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--labels", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--postgres", help="also run on PostgreSQL (an admin URL)")
    args = parser.parse_args()
    results: dict[str, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory(prefix="khatem-bench-") as tmp:
        results["sqlite"] = run("sqlite", args, Path(tmp))
        if args.postgres:
            results["postgresql"] = run("postgresql", args, Path(tmp))
    print("\n== ratios: batch rate / raw signing rate (goal >= 0.70)")
    for kind, (cpu, wall) in results.items():
        print(f"{kind}: {cpu:.2f} per CPU second, {wall:.2f} wall clock")
    cpu, _ = results["sqlite"]
    print(f"RATIO issuance vs raw Ed25519 signing (SQLite, CPU): {cpu:.2f} (target >= 0.70)")


if __name__ == "__main__":
    main()
