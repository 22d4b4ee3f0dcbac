"""Benchmark offline verification of one label against one raw Ed25519 verification.

    uv run python bench/verify_offline.py

Target (issue 5): verifying one label offline — parsing the URI, the trust-list key, the
label status snapshot, the certificate snapshot and building the verdict — costs at most
1.15x one raw ``Ed25519PublicKey.verify`` with ``cryptography``, measured in the same run.

The offline source is loaded from snapshots the size of a registry of 1,000,000 labels of
which 1% are suspended or revoked, and 10,000 certificates; the snapshot sizes are printed
too (ADR 0004). Times are CPU time of this single-threaded process (the 2-core machines
are shared by other work): raw and offline blocks of 100 alternate in 41 rounds, each
round's ratio is taken between blocks run back to back, and the median of those ratios is
the figure (the medians and the best rounds are printed too). The ratio is last.
"""

from __future__ import annotations

import base64
import gc
import gzip
import random
import statistics
import time
from datetime import UTC, date, datetime, timedelta

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from labeling.snapshots.documents import certificate_document, label_status_document
from verify.checkpoint import encode_vkey
from verify.label_codec import (
    SERIAL_ALPHABET,
    format_certificate_code,
    issue_label_uri,
    key_id,
    parse_label_uri,
)
from verify.offline import OfflineSource
from verify.snapshot import (
    label_hash,
    sign_snapshot,
    verify_certificate_snapshot,
    verify_label_status_snapshot,
)
from verify.trust_list import format_time, sign_trust_list, verify_trust_list
from verify.verdict import ArtisanFacts, CertificateFacts, Conformity, Overall, StandardFacts
from verify.verifier import verify_label

LABELS = 1_000_000
LISTED = LABELS // 100
CERTIFICATES = 10_000
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
GTIN = "06111234000019"
ROUNDS = 41
PER_ROUND = 100


def _raw(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def _serial(rng: random.Random) -> str:
    return "".join(rng.choice(SERIAL_ALPHABET) for _ in range(10))


def _certificate(code: int, rng: random.Random) -> CertificateFacts:
    return CertificateFacts(
        code=format_certificate_code(code),
        status=rng.choice(["active"] * 18 + ["suspended", "withdrawn"]),
        status_reason=None,
        valid_from=date(2026, 1, 10),
        valid_until=date(2029, 1, 9),
        conformity=Conformity(
            scheme_code="MFM-2",
            scheme_name="Maroc Fait Main",
            level=2,
            level_name="Niveau 2",
            standards=(StandardFacts("NM 11.3.010", "Céramiques culinaires"),),
            criteria_met=("handmade", "lead-release"),
            audit_date=date(2026, 1, 5),
            audit_outcome="pass",
            body_code="CHAMBRE-MA-07",
            body_name="Chambre d'artisanat Marrakech-Safi",
        ),
        artisan=ArtisanFacts(
            display_name_latin=f"Coopérative {code:08x}",
            display_name_arabic="تعاونية الفخار",
            region_code="MA-07",
            region_name="Marrakech-Safi",
            craft="Poterie",
        ),
    )


def _trust_list(root: Ed25519PrivateKey, label_public: bytes) -> bytes:
    root_public = _raw(root)
    return sign_trust_list(
        {
            "version": 1,
            "keys": [
                {
                    "kty": "OKP",
                    "crv": "Ed25519",
                    "x": base64.urlsafe_b64encode(label_public).rstrip(b"=").decode(),
                    "kid": key_id(label_public),
                    "use": "sig",
                    "alg": "EdDSA",
                    "khatem:not_before": format_time(NOW - timedelta(days=400)),
                }
            ],
            "issued_at": format_time(NOW),
            "max_age": 86_400,
            "log": {"origin": "khatem.ma/log", "vkey": encode_vkey("khatem.ma/log", root_public)},
        },
        sign=root.sign,
        public_key=root_public,
    )


def _status_files(root: Ed25519PrivateKey, rng: random.Random) -> tuple[bytes, bytes, list[int]]:
    """The signed label and certificate status snapshots, and the certificate codes."""
    groups: dict[tuple[str, str], list[bytes]] = {}
    reasons = [
        ("revoked", "lost_or_stolen"),
        ("revoked", "damaged"),
        ("suspended", "inspection_hold"),
    ]
    for _ in range(LISTED):
        groups.setdefault(rng.choice(reasons), []).append(label_hash(GTIN, _serial(rng)))
    labels_raw = sign_snapshot(
        label_status_document(entries=groups, total_labels=LABELS, issued_at=NOW, max_age=86_400),
        sign=root.sign,
        public_key=_raw(root),
    )
    codes = rng.sample(range(2**32), CERTIFICATES)
    certificates_raw = sign_snapshot(
        certificate_document(
            certificates=[_certificate(code, rng) for code in codes],
            issued_at=NOW,
            max_age=86_400,
        ),
        sign=root.sign,
        public_key=_raw(root),
    )
    return labels_raw, certificates_raw, codes


def _rounds(uris: list[str], source: OfflineSource, kid: str) -> tuple[list[float], list[float]]:
    """Raw and offline blocks of PER_ROUND, alternating, ROUNDS times: us per verification."""
    tokens = [parse_label_uri(u) for u in uris]
    raw_inputs = [(t.signature, t.signed_bytes()) for t in tokens]
    public_key = source.key(kid).public_key  # type: ignore[union-attr]
    gc.collect()
    gc.freeze()
    raw_rounds: list[float] = []
    offline_rounds: list[float] = []
    clock = time.process_time_ns

    def raw_block() -> float:
        started = clock()
        for signature, message in raw_inputs:
            public_key.verify(signature, message)
        return (clock() - started) / PER_ROUND / 1000

    def offline_block() -> float:
        started = clock()
        for uri in uris:
            verify_label(uri, source, now=NOW)
        return (clock() - started) / PER_ROUND / 1000

    for round_number in range(ROUNDS):
        # Adjacent blocks share the neighbours' load; alternating which goes first cancels
        # any order effect (caches, frequency changes).
        if round_number % 2:
            offline_rounds.append(offline_block())
            raw_rounds.append(raw_block())
        else:
            raw_rounds.append(raw_block())
            offline_rounds.append(offline_block())
    return raw_rounds, offline_rounds


def main() -> None:
    rng = random.Random(5)
    root, label_key = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    root_public, label_public = _raw(root), _raw(label_key)
    # The registry's files, at the scale of 1,000,000 labels.
    trust_list = _trust_list(root, label_public)
    labels_raw, certificates_raw, codes = _status_files(root, rng)
    started = time.perf_counter()
    source = OfflineSource(
        verify_trust_list(trust_list, root_public_key=root_public),
        verify_label_status_snapshot(labels_raw, root_public_key=root_public),
        verify_certificate_snapshot(certificates_raw, root_public_key=root_public),
    )
    load_ms = (time.perf_counter() - started) * 1000
    active_code = next(c for c in codes if source.certificate(c).status == "active")  # type: ignore[union-attr]
    uris = [
        issue_label_uri(
            host="KHATEM.MA",
            gtin=GTIN,
            serial=_serial(rng),
            kid=key_id(label_public),
            issued_at=NOW - timedelta(days=3),
            certificate_code=active_code,
            sign=label_key.sign,
        )
        for _ in range(PER_ROUND)
    ]
    assert all(verify_label(u, source, now=NOW).verdict is Overall.AUTHENTIC for u in uris)
    raw_rounds, offline_rounds = _rounds(uris, source, key_id(label_public))
    ratios = [o / r for o, r in zip(offline_rounds, raw_rounds, strict=True)]
    raw_us, offline_us = statistics.median(raw_rounds), statistics.median(offline_rounds)
    ratio = statistics.median(ratios)

    print(f"label status snapshot, {LABELS:,} labels, {LISTED:,} listed: {len(labels_raw):,} bytes")
    print(
        f"label status snapshot gzipped (HTTP Content-Encoding): "
        f"{len(gzip.compress(labels_raw, 9)):,} bytes"
    )
    print(f"certificate snapshot, {CERTIFICATES:,} certificates: {len(certificates_raw):,} bytes")
    print(
        f"certificate snapshot gzipped (HTTP Content-Encoding): "
        f"{len(gzip.compress(certificates_raw, 9)):,} bytes"
    )
    print(f"load and verify all three files: {load_ms:.0f} ms")
    print(
        f"best rounds: raw {min(raw_rounds):.1f} us, offline {min(offline_rounds):.1f} us, "
        f"ratio {min(offline_rounds) / min(raw_rounds):.3f}"
    )
    print(f"raw Ed25519 verify (cryptography), median of {ROUNDS} rounds: {raw_us:.1f} us")
    print(f"offline label verification, median of {ROUNDS} rounds: {offline_us:.1f} us")
    print(f"ratio offline / raw verify, median of per-round ratios: {ratio:.3f} (target <= 1.15)")


if __name__ == "__main__":
    main()
