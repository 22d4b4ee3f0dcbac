"""Bulk verification: 1,000 labels in one ``POST /api/v1/verify`` against 1,000 single
calls, on the same server, in the same run.

    uv run python bench/verify_bulk.py [--labels 100000] [--batch 1000] [--rounds 5]

The registry is built as in ``bench/verify_http.py`` (``--batch`` labels issued by the
issuance service, the rest filler rows), served by one uvicorn worker running the product's
app. The client is one keep-alive HTTP/1.1 connection (``http.client``), as a retailer's
integration would hold: the single calls go one after another to the label URL with
``Accept: application/json``; the bulk call sends the same labels in one body. Every answer
is checked (1,000 AUTHENTIC verdicts both ways). Rounds alternate; each side keeps its best.

Issue 15: the labels are first received by a retailer (one ``POST /api/v1/receipts`` of
the whole shipment, timed and printed), as a department store's dock records them, and the
server counts scans (``KHATEM_SCAN_TELEMETRY``, on by default): the verifications then
run on labels that have receipts, with every scan counted. ``--no-receipts`` skips them.

Figures first; the LAST line is the ratio the issue sets as a goal (>= 3).
"""

from __future__ import annotations

import argparse
import http.client
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from verify_http import build_registry, label_path, running_server  # noqa: E402

JSON_HEADERS = {"Accept": "application/json"}


def singles(connection: http.client.HTTPConnection, paths: list[str]) -> float:
    started = time.perf_counter()
    for path in paths:
        connection.request("GET", path, headers=JSON_HEADERS)
        response = connection.getresponse()
        body = response.read()
        if response.status != 200 or b'"verdict":"AUTHENTIC"' not in body:
            raise SystemExit(f"single call failed: {response.status} {body[:200]!r}")
    return time.perf_counter() - started


def bulk(connection: http.client.HTTPConnection, uris: list[str]) -> float:
    payload = json.dumps({"labels": uris}).encode()
    started = time.perf_counter()
    connection.request(
        "POST", "/api/v1/verify", body=payload, headers={"Content-Type": "application/json"}
    )
    response = connection.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - started
    if response.status != 200:
        raise SystemExit(f"bulk call failed: {response.status} {body[:300]!r}")
    verdicts = json.loads(body)["verdicts"]
    if len(verdicts) != len(uris) or {v["verdict"] for v in verdicts} != {"AUTHENTIC"}:
        raise SystemExit("bulk call: not one AUTHENTIC verdict per label")
    return elapsed


def record_receipts(connection: http.client.HTTPConnection, url: str, uris: list[str]) -> float:
    """A retailer (opened as the operators open one) receives the shipment: its time."""
    from core.db import new_session
    from labeling.retailers.service import create_retailer

    with new_session(url) as session:
        _, issued = create_retailer(session=session, name="Bench Department Store", country="ES")
    payload = json.dumps({"shipment_ref": "BENCH-DESADV-1", "labels": uris}).encode()
    started = time.perf_counter()
    connection.request(
        "POST",
        "/api/v1/receipts",
        body=payload,
        headers={
            "Content-Type": "application/json",
            "Authorization": f"Bearer {issued.access_token}",
        },
    )
    response = connection.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - started
    if response.status != 200 or json.loads(body)["recorded"] != len(uris):
        raise SystemExit(f"receipts not recorded: {response.status} {body[:300]!r}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--labels", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=1_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-receipts", action="store_true", help="skip recording receipts")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="khatem-bench-") as tmp:
        registry = build_registry(Path(tmp), labels=args.labels, scanned=args.batch)
        uris = registry.uris[: args.batch]
        paths = [label_path(uri) for uri in uris]
        with running_server(registry) as server:
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
            if not args.no_receipts:
                took = record_receipts(connection, registry.url, uris)
                print(
                    f"receipts of the {len(uris)}-label shipment recorded in {took * 1000:.1f} ms"
                )
            singles(connection, paths[:100])  # warm-up: imports, caches, statements
            bulk(connection, uris[:100])
            single_times: list[float] = []
            bulk_times: list[float] = []
            for round_ in range(1, args.rounds + 1):
                single_times.append(singles(connection, paths))
                bulk_times.append(bulk(connection, uris))
                print(
                    f"  round {round_}: {len(paths)} single calls {single_times[-1] * 1000:8.1f} ms"
                    f"   one bulk call {bulk_times[-1] * 1000:7.1f} ms"
                )
            connection.close()
    best_single, best_bulk = min(single_times), min(bulk_times)
    print(
        f"{args.batch} single calls: {best_single * 1000:.1f} ms "
        f"({best_single / args.batch * 1e6:.0f} µs per label)"
    )
    print(
        f"1 bulk call of {args.batch}: {best_bulk * 1000:.1f} ms "
        f"({best_bulk / args.batch * 1e6:.0f} µs per label)"
    )
    print(f"ratio single/bulk time: {best_single / best_bulk:.1f}x (goal >= 3)")


if __name__ == "__main__":
    main()
