"""The worked example of docs/keys.md verifies with PyNaCl, following the written steps."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

from nacl.signing import VerifyKey

from verify.trust_list import verify_trust_list

DOC = Path(__file__).resolve().parents[2] / "docs" / "keys.md"
ROOT_PUBLIC = bytes.fromhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")


def _example() -> str:
    text = DOC.read_text("utf-8")
    block = text.split("<!-- khatem:trust-list-example -->", 1)[1]
    return block.split("```json\n", 1)[1].split("\n```", 1)[0]


def test_the_documented_example_verifies_with_another_ed25519_library() -> None:
    served = _example()
    document = json.loads(served)
    signature = document.pop("signature")
    assert signature["kid"] == hashlib.sha256(ROOT_PUBLIC).digest()[:4].hex() == "21fe31df"
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    message = b"KHATEM-TRUST-LIST-V1\n" + canonical.encode("utf-8")
    sig = base64.urlsafe_b64decode(signature["sig"] + "==")
    VerifyKey(ROOT_PUBLIC).verify(message, sig)
    (key,) = document["keys"]
    x = base64.urlsafe_b64decode(key["x"] + "=")
    assert key["kid"] == hashlib.sha256(x).digest()[:4].hex() == "39f713d0"


def test_the_documented_example_verifies_with_the_library() -> None:
    trust_list = verify_trust_list(_example(), root_public_key=ROOT_PUBLIC)
    assert trust_list.root_kid == "21fe31df" and trust_list.key("39f713d0").retired_at is None
