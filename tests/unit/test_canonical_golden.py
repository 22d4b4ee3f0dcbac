"""Golden bytes: what Khatem signs and hashes did not change when the encoders became one.

Every expected value below was captured from the code as it was BEFORE the canonical
encoders moved into ``verify/canonical.py`` (labels, key ids, GTIN check digits, the trust
list, both status snapshots, log leaves), by running :func:`compute` on that code. The
published formats (docs/label-format.md, docs/keys.md, docs/status-snapshots.md,
docs/transparency-log.md) promise these bytes to every verifier in the field: a refactor
that changes one of them fails here. Large documents are pinned by their SHA-256.

Keys are derived from fixed seeds; Ed25519 is deterministic (RFC 8032), so signatures are
reproducible too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from labeling.keycustody import key_id_for
from labeling.keycustody.keyfile import KeyfileSigner
from labeling.labels.issuance import sign_labels
from labeling.snapshots.documents import label_status_document
from labeling.translog.events import canonical_payload
from verify.checkpoint import encode_vkey
from verify.gtin import gtin_check_digit, registry_gtin
from verify.label_codec import claim_bytes, issue_label_uri, key_id, parse_label_uri
from verify.snapshot import sign_snapshot
from verify.trust_list import format_time, sign_trust_list
from verify.trust_list import key_id as trust_list_key_id

ROOT = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
LABEL = Ed25519PrivateKey.from_private_bytes(bytes(range(32, 64)))
ROOT_RAW = ROOT.public_key().public_bytes_raw()
LABEL_RAW = LABEL.public_key().public_bytes_raw()
AT = datetime(2026, 11, 22, 13, 38, 44, 865374, tzinfo=UTC)
#: Strings that exercise every escaping rule: quotes, backslash, the short escapes, other
#: controls, DEL, non-ASCII (Latin, Arabic, Tifinagh), U+2028, and a non-BMP character.
AWKWARD = 'q"b\\s/\b\f\n\r\t\x00\x1f\x7f é ⴰⵣ تعاونية \u2028 😂'


def _sha(data: bytes | str) -> str:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return hashlib.sha256(raw).hexdigest()


def _claims() -> dict[str, str]:
    gtins = ["96385074", "036000291452", "4006381333931", "06111234000019", registry_gtin(42)]
    times = [
        AT,
        datetime(2026, 1, 1, 0, 30, 59, tzinfo=timezone(timedelta(hours=1))),
        datetime(1970, 1, 1, tzinfo=UTC),
        datetime(9999, 12, 31, 23, 59, tzinfo=UTC),
    ]
    out = {}
    for index, (gtin, serial, issued_at, code) in enumerate(
        zip(
            gtins * 2,
            ["0", "7F3K2MQ9XB", "ZZZZZZZZZZZZ", "1", "ABCDEFGHJKMN"] * 2,
            times * 3,
            [0, 1, 2**32 - 1, 123_456_789, 0x5A17C0DE] * 2,
            strict=False,
        )
    ):
        kid = key_id(LABEL_RAW if index % 2 else ROOT_RAW)
        message = claim_bytes(
            gtin=gtin, serial=serial, kid=kid, issued_at=issued_at, certificate_code=code
        )
        uri = issue_label_uri(
            host="khatem.ma",
            gtin=gtin,
            serial=serial,
            kid=kid,
            issued_at=issued_at,
            certificate_code=code,
            sign=(LABEL if index % 2 else ROOT).sign,
        )
        assert parse_label_uri(uri).signed_bytes() == message
        out[f"claim {index}"] = message.hex()
        out[f"uri {index}"] = _sha(uri)
    return out


def _batch() -> dict[str, str]:
    serials: Sequence[str] = ["7F3K2MQ9XB", "0000000000", "ZZZZZZZZZZ", "A", "QRSTVWXYZ012"]
    drawn = iter(serials)
    signed = sign_labels(
        signer=KeyfileSigner(LABEL),
        gtin="6111234000019",
        certificate_code=0x5A17C0DE,
        quantity=len(serials),
        issued_at=AT,
        serials=lambda: next(drawn),
    )
    return {
        "batch serials": ",".join(signed.serials),
        "batch messages": _sha(b"".join(signed.messages)),
        "batch signatures": _sha(b"".join(signed.signatures)),
    }


def _key_ids() -> dict[str, str]:
    out = {}
    for name, raw in (("root", ROOT_RAW), ("label", LABEL_RAW), ("zero", bytes(32))):
        ids = {key_id(raw), trust_list_key_id(raw), key_id_for(raw)}
        assert len(ids) == 1
        out[f"kid {name}"] = ids.pop()
    return out


def _check_digits() -> dict[str, str]:
    bodies = ["0", "7", "9638507", "03600029145", "400638133393", "0611123400001"]
    bodies += ["1" * 17, "98765432109876543", "0049000000042"]
    return {"check digits": "".join(str(gtin_check_digit(body)) for body in bodies)}


def _trust_list() -> bytes:
    document: dict[str, Any] = {
        "version": 1,
        "keys": [
            {
                "kty": "OKP",
                "crv": "Ed25519",
                "x": "AAAA",
                "kid": key_id(LABEL_RAW),
                "use": "sig",
                "alg": "EdDSA",
                "khatem:not_before": format_time(AT),
                "khatem:retired_at": format_time(AT + timedelta(days=3)),
            },
            {"kty": "RSA", "note": AWKWARD, "n": -(2**53 - 1), "e": [True, False, None]},
        ],
        "issued_at": format_time(AT),
        "max_age": 86_400,
        "log": {"origin": "khatem.ma/log", "vkey": encode_vkey("khatem.ma/log", ROOT_RAW)},
        "\u20ac": 1,
        "\r": 2,
        "\ufb33": 3,
        "\U0001f600": 4,
        "\u0080": 5,
    }
    return sign_trust_list(document, sign=ROOT.sign, public_key=ROOT_RAW)


def _certificate_document() -> dict[str, Any]:
    """What ``labeling.snapshots.documents.certificate_document`` made of seven certificates,
    written out (the golden value pins the signed bytes, not the builder or the verdict model)."""
    schemes = [
        {
            "code": f"MFM-{level}",
            "name": "Maroc Fait Main",
            "level": level or None,
            "level_name": "Niveau 2",
            "standards": ["NM 11.3.010"],
        }
        for level in range(3)
    ]
    certificates = [
        {
            "code": f"C-{index:07d}",
            "status": ["active", "suspended", "withdrawn"][index % 3],
            "status_reason": None if index % 3 == 0 else "inspection_hold",
            "valid_from": "2026-01-10",
            "valid_until": "2029-01-09",
            "scheme": f"MFM-{index % 3}",
            "criteria_met": ["handmade", "lead-release"],
            "audit": {"date": "2026-01-05", "outcome": "pass"},
            "body": "CHAMBRE-MA-07",
            "artisan": {
                "display_name_latin": f"Coopérative {index} {AWKWARD}",
                "display_name_arabic": "تعاونية الفخار",
                "region": "MA-07",
                "craft": "Poterie",
            },
        }
        for index in range(1, 8)
    ]
    return {
        "version": 1,
        "kind": "khatem.certificate-status",
        "issued_at": format_time(AT),
        "max_age": 3_600,
        "schemes": schemes,
        "standards": [{"code": "NM 11.3.010", "title": "Céramiques culinaires"}],
        "bodies": [{"code": "CHAMBRE-MA-07", "name": "Chambre d'artisanat Marrakech-Safi"}],
        "regions": [{"code": "MA-07", "name": "Marrakech-Safi"}],
        "certificates": certificates,
    }


def _snapshots() -> tuple[bytes, bytes]:
    hashes = [hashlib.sha256(bytes([n])).digest()[:8] for n in range(20)]
    labels = sign_snapshot(
        label_status_document(
            entries={
                ("revoked", "lost_or_stolen"): hashes[:7],
                ("suspended", "inspection_hold"): hashes[7:],
            },
            total_labels=1_000_000,
            issued_at=AT,
            max_age=86_400,
        ),
        sign=ROOT.sign,
        public_key=ROOT_RAW,
    )
    certificates = sign_snapshot(_certificate_document(), sign=ROOT.sign, public_key=ROOT_RAW)
    return labels, certificates


def _leaves() -> dict[str, str]:
    events: list[tuple[str, dict[str, Any]]] = [
        ("label.issued", {"gtin": "06111234000019", "serial": "7F3K2MQ9XB", "kid": "1a2b3c4d"}),
        ("certificate.suspended", {"z": 1, "a": "é", "b": None, "c": True, "d": -(2**53 - 1)}),
        ("test.awkward", {"text": AWKWARD, "nested": {"list": [1, "x", {"y": [False]}]}}),
        ("test.empty", {}),
        ("test.keys", {"\u20ac": 1, "\r": 2, "\ufb33": 3, "\u0080": 4, "1": 5, "A": 6}),
    ]
    return {
        f"leaf {event_type}": canonical_payload(event_type, AT, payload).encode("utf-8").hex()
        for event_type, payload in events
    }


def compute() -> dict[str, str]:
    """Every pinned value, computed with the code under test."""
    trust_list = _trust_list()
    labels, certificates = _snapshots()
    return {
        **_claims(),
        **_batch(),
        **_key_ids(),
        **_check_digits(),
        "trust list": _sha(trust_list),
        "label snapshot": _sha(labels),
        "certificate snapshot": _sha(certificates),
        **_leaves(),
    }


GOLDEN: dict[str, str] = {
    "claim 0": (
        "4b484154454d2d4c4142454c01013030303030303936333835303734013056475aa701c8951200000000"
    ),
    "uri 0": "1c6cbba173a199f3192762338148a0772e2aaeff9a3af82da58ff933f63e1836",
    "claim 1": (
        "4b484154454d2d4c4142454c010130303033363030303239313435320a3746334b324d5139584224"
        "f6ed6a01c16da200000001"
    ),
    "uri 1": "e7c3a2f0228e7fc036b79f4d0eb64e80a10795baf8c51dd06919df911dc787cf",
    "claim 2": (
        "4b484154454d2d4c4142454c010130343030363338313333333933310c5a5a5a5a5a5a5a5a5a5a5a"
        "5a56475aa700000000ffffffff"
    ),
    "uri 2": "c638d80ad25e9927683f09f25d3e81e211af7e1074c7564dcb2d93313872d57d",
    "claim 3": (
        "4b484154454d2d4c4142454c01013036313131323334303030303139013124f6ed6afbbb899f075bcd15"
    ),
    "uri 3": "12558fca3aefa4936f927c78775531a1ae7fc682fa779e377ed5fda92e5c3b97",
    "claim 4": (
        "4b484154454d2d4c4142454c010130303439303030303030303432390c41424344454647484a4b4d"
        "4e56475aa701c895125a17c0de"
    ),
    "uri 4": "52e0458051f671d929ffcaecd4d09cd1b4b19ba450cdd0ce820de241e4ef7a10",
    "claim 5": (
        "4b484154454d2d4c4142454c01013030303030303936333835303734013024f6ed6a01c16da200000000"
    ),
    "uri 5": "645518ba54ec8999c8aa4443ca71c7e37bb3e252f0b5564e6e27b50fd3deb17f",
    "claim 6": (
        "4b484154454d2d4c4142454c010130303033363030303239313435320a3746334b324d5139584256"
        "475aa70000000000000001"
    ),
    "uri 6": "311b617e31d2e3658467dceae8e61098a3738e5b79e3a61340b3c6211ff5e18f",
    "claim 7": (
        "4b484154454d2d4c4142454c010130343030363338313333333933310c5a5a5a5a5a5a5a5a5a5a5a"
        "5a24f6ed6afbbb899fffffffff"
    ),
    "uri 7": "94622c05662d1be0a8e5d29396feab58311bcc5d886c679a434b29699f93b3ee",
    "claim 8": (
        "4b484154454d2d4c4142454c01013036313131323334303030303139013156475aa701c89512075bcd15"
    ),
    "uri 8": "cb28ea6cb3666067a70da6d3979681b38400b88efbc92798467ca6e2e5af91fc",
    "claim 9": (
        "4b484154454d2d4c4142454c010130303439303030303030303432390c41424344454647484a4b4d"
        "4e24f6ed6a01c16da25a17c0de"
    ),
    "uri 9": "99f5592bfa65fa78b9968a814b41cce5aee1ace82fb5df931a132673fe7c3cf4",
    "batch serials": "0000000000,7F3K2MQ9XB,A,QRSTVWXYZ012,ZZZZZZZZZZ",
    "batch messages": "0d27de4f25d4175a08715ce0c729b3a77051e5c5f738aa6694a1a59009cd3d5b",
    "batch signatures": "4f7c3f1260d42a1badff1efb5d3bd4196a9a559c315797971d7ecfbd3ab40222",
    "kid root": "56475aa7",
    "kid label": "24f6ed6a",
    "kid zero": "66687aad",
    "check digits": "094219559",
    "trust list": "7c149dc4282852f2923ff05e6a751e8c8240a7bbf366eb94c5a2df9828dc3d96",
    "label snapshot": "59108a698b789482a3dcef12b20fd70f70ed361227560841a1e79f6a7eb6223f",
    "certificate snapshot": "3a9aba017ae89240f0cf27f1f32d7ba02b3852a88f2524625c5454cbeb6a1828",
    "leaf label.issued": (
        "7b226174223a22323032362d31312d32325431333a33383a34342e3836353337345a222c22677469"
        "6e223a223036313131323334303030303139222c226b6964223a223161326233633464222c227365"
        "7269616c223a223746334b324d51395842222c2274797065223a226c6162656c2e69737375656422"
        "7d"
    ),
    "leaf certificate.suspended": (
        "7b2261223a22c3a9222c226174223a22323032362d31312d32325431333a33383a34342e38363533"
        "37345a222c2262223a6e756c6c2c2263223a747275652c2264223a2d393030373139393235343734"
        "303939312c2274797065223a2263657274696669636174652e73757370656e646564222c227a223a"
        "317d"
    ),
    "leaf test.awkward": (
        "7b226174223a22323032362d31312d32325431333a33383a34342e3836353337345a222c226e6573"
        "746564223a7b226c697374223a5b312c2278222c7b2279223a5b66616c73655d7d5d7d2c22746578"
        "74223a22715c22625c5c732f5c625c665c6e5c725c745c75303030305c75303031667f20c3a920e2"
        "b4b0e2b5a320d8aad8b9d8a7d988d986d98ad8a920e280a820f09f9882222c2274797065223a2274"
        "6573742e61776b77617264227d"
    ),
    "leaf test.empty": (
        "7b226174223a22323032362d31312d32325431333a33383a34342e3836353337345a222c22747970"
        "65223a22746573742e656d707479227d"
    ),
    "leaf test.keys": (
        "7b225c72223a322c2231223a352c2241223a362c226174223a22323032362d31312d32325431333a"
        "33383a34342e3836353337345a222c2274797065223a22746573742e6b657973222c22c280223a34"
        "2c22e282ac223a312c22efacb3223a337d"
    ),
}


def test_every_signed_and_hashed_byte_is_what_it_was() -> None:
    assert compute() == GOLDEN
