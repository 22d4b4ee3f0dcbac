"""Canonical bytes: the one place that says what Khatem signs and hashes.

Every signer and verifier in the project builds its bytes here, and nowhere else
(``tests/unit/test_canonical_single_copy.py`` fails if a second copy appears):

* :func:`canonical_json`: RFC 8785 (JCS) JSON — the trust list, the status snapshots and
  the log leaves are signed or hashed over it, and so are audit records;
* :data:`json_string`: the RFC 8785 form of one string, for writers that splice strings
  into a canonical template (the log's label-batch path);
* :func:`label_message` (and :func:`label_messages` for a batch): the bytes a label's
  Ed25519 signature covers (docs/label-format.md section 5);
* :func:`key_id`: the id of an Ed25519 public key (label-format section 4.1);
* :func:`gtin_check_digit`: the GS1 mod-10 check digit (label-format section 3.3).

This module is pure and imports nothing from ``labeling`` or ``core``.

RFC 8785, and why two encoders
------------------------------
The reference encoder is the ``rfc8785`` package (Trail of Bits). It is pure Python, about
five times slower than the standard library's C encoder on a status snapshot and three
times slower on a log leaf, which would cost the log writer its benchmark goal
(``bench/transparency_log.py``). Yet for most documents the two give the same bytes: the C
encoder with sorted keys, no white space and non-ASCII kept escapes strings exactly as
RFC 8785 section 3.2.2.2 does and writes integers in plain decimal. They differ only on

* floats (ECMAScript number formatting: ``96000.0`` is ``96000``, ``1e-07`` is ``1e-7``),
* object member names with characters beyond U+FFFF (RFC 8785 sorts by UTF-16 code units,
  Python by code points).

So :func:`canonical_json` first walks the value once (which it must do anyway, to refuse
what JCS cannot hold), and hands it to the C encoder when it holds neither, to ``rfc8785``
otherwise. ``tests/unit/test_canonical.py`` checks both against every RFC 8785 test vector
(``tests/vectors/jcs/``) and against each other on generated documents.
"""

from __future__ import annotations

import hashlib
import json
import math
import struct
from collections.abc import Callable, Iterable
from json.encoder import encode_basestring
from typing import Any, Final

import rfc8785

__all__ = [
    "LABEL_ALGORITHM_ED25519",
    "LABEL_DOMAIN_PREFIX",
    "LABEL_FORMAT_VERSION",
    "MAX_DEPTH",
    "MAX_SAFE_INTEGER",
    "CanonicalError",
    "canonical_json",
    "gtin_check_digit",
    "json_string",
    "key_id",
    "label_message",
    "label_messages",
]

# ----------------------------------------------------------------------------- JSON

#: Integers JCS holds exactly (an IEEE 754 double's, as every JSON verifier reads them).
MAX_SAFE_INTEGER: Final = 2**53 - 1
#: Deeper values are refused (no document Khatem signs nests more than 5 levels).
MAX_DEPTH: Final = 32


class CanonicalError(ValueError):
    """The value has no RFC 8785 form: NaN or infinity, an integer beyond 2**53 - 1, a
    string with a lone surrogate, a member name that is not a string, a type JSON does
    not have, or nesting beyond :data:`MAX_DEPTH` (or a float where none is allowed)."""


#: The standard library's C encoder, set up as RFC 8785 writes strings and integers.
_encode_plain: Final = json.JSONEncoder(
    sort_keys=True,
    separators=(",", ":"),
    ensure_ascii=False,
    allow_nan=False,
    check_circular=False,  # the walk below bounds the depth, so cycles cannot reach it
).encode

#: The RFC 8785 form of one string (section 3.2.2.2), as text: ``"`` and ``\\`` escaped,
#: ``\\b \\f \\n \\r \\t`` as two characters, other controls as ``\\u00xx`` (lower case),
#: everything else as itself. It is the C escaper the standard library's encoder uses.
json_string: Final[Callable[[str], str]] = encode_basestring


def _needs_reference(value: Any, floats: bool, depth: int) -> bool:
    """Walk ``value``: raise :class:`CanonicalError` for what JCS cannot hold; return whether
    it needs the reference encoder (it holds a float, a member name beyond U+FFFF, or an
    instance of a subclass of a JSON type, such as an enum member)."""
    kind = type(value)
    if kind is str or kind is bool or value is None:
        return False
    if isinstance(value, int):
        if not -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
            raise CanonicalError(f"integers must be within +/-(2**53 - 1), not {value}")
        return kind is not int
    if isinstance(value, str):
        return True
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CanonicalError(f"{value} has no JSON form (no NaN or infinity)")
        if not floats:
            raise CanonicalError("numbers must be integers here (no floats)")
        return True
    if depth >= MAX_DEPTH:
        raise CanonicalError(f"values nest deeper than {MAX_DEPTH} levels")
    special = kind is not dict and kind is not list and kind is not tuple
    if isinstance(value, dict):
        for name, item in value.items():
            if not isinstance(name, str):
                raise CanonicalError("object member names must be strings")
            if type(name) is not str or (not name.isascii() and max(name) > "\uffff"):
                special = True  # RFC 8785 sorts by UTF-16 code units, Python by code points
            special |= _needs_reference(item, floats, depth + 1)
        return special
    if isinstance(value, list | tuple):
        for item in value:
            special |= _needs_reference(item, floats, depth + 1)
        return special
    raise CanonicalError(f"{kind.__name__} values have no JSON form")


def _utf16_order(name: str) -> bytes:
    return name.encode("utf-16-be", "surrogatepass")


#: Each flat object shape seen (its member names, in insertion order) -> its members in JCS
#: order, each with its quoted name. The log writes thousands of leaves of one shape.
_flat_plans: dict[tuple[Any, ...], tuple[tuple[str, str], ...]] = {}


def _flat_object(value: dict[Any, Any]) -> str | None:
    """The JCS text of an object whose members are all strings, safe integers, booleans or
    null, written in one pass (no walk, no sort after the first object of its shape);
    ``None`` for any other object, which takes the general path."""
    names = tuple(value)
    plan = _flat_plans.get(names)
    if plan is None:
        if any(type(name) is not str for name in names):
            return None
        plan = tuple((name, json_string(name) + ":") for name in sorted(names, key=_utf16_order))
        if len(_flat_plans) >= 1024:
            _flat_plans.clear()
        _flat_plans[names] = plan
    parts = []
    for name, quoted in plan:
        item = value[name]
        kind = type(item)
        if kind is str:
            parts.append(quoted + json_string(item))
        elif kind is int and -MAX_SAFE_INTEGER <= item <= MAX_SAFE_INTEGER:
            parts.append(quoted + str(item))
        elif item is None:
            parts.append(quoted + "null")
        elif kind is bool:
            parts.append(quoted + ("true" if item else "false"))
        else:
            return None
    return "{" + ",".join(parts) + "}"


def canonical_json(value: object, *, floats: bool = False) -> bytes:
    """The RFC 8785 (JCS) bytes of ``value``: UTF-8, no white space, object members sorted
    by the UTF-16 code units of their names, strings as ECMAScript's ``JSON.stringify``
    writes them, numbers as ECMAScript's ``Number.prototype.toString``.

    ``value`` is made of ``dict`` (string names), ``list``, ``tuple``, ``str``, ``int``
    (at most 2**53 - 1 in magnitude), ``bool`` and ``None``, and, with ``floats=True``,
    finite ``float``. Raises :class:`CanonicalError` otherwise. Floats are refused by
    default: the trust list, the snapshots and the log hold integers only; an audit record
    holds measured values and passes ``floats=True``.
    """
    try:
        if type(value) is dict:
            text = _flat_object(value)
            if text is not None:
                return text.encode("utf-8")
        if _needs_reference(value, floats, 0):
            return rfc8785.dumps(value)  # type: ignore[arg-type]
        return _encode_plain(value).encode("utf-8")
    except UnicodeEncodeError:
        raise CanonicalError("strings must be valid Unicode (no lone surrogates)") from None
    except rfc8785.CanonicalizationError as exc:
        raise CanonicalError(str(exc)) from None


# -------------------------------------------------------------------- label message

#: Domain-separation prefix of every signed label claim (12 ASCII bytes).
LABEL_DOMAIN_PREFIX: Final[bytes] = b"KHATEM-LABEL"
#: Label format version: the first digit of ``S`` and byte 12 of the signed message.
LABEL_FORMAT_VERSION: Final[int] = 1
#: Signature algorithm byte: 1 = Ed25519 (pure, RFC 8032).
LABEL_ALGORITHM_ED25519: Final[int] = 1

_LABEL_HEADER: Final = LABEL_DOMAIN_PREFIX + bytes((LABEL_FORMAT_VERSION, LABEL_ALGORITHM_ED25519))
_UINT32_PAIR: Final = struct.Struct(">II")
#: The fields after the serial: kid (4) || issued_at minutes (4) || certificate code (4).
_LABEL_TAIL_LENGTH: Final = 12


def label_message(
    *, gtin14: str, serial: str, kid: str, minutes: int, certificate_code: int
) -> bytes:
    """The bytes a label's Ed25519 signature covers (docs/label-format.md section 5)::

        "KHATEM-LABEL" || version (1) || algorithm (1) || GTIN-14 (14 ASCII digits)
        || len(serial) (1) || serial (ASCII) || kid (4) || issued_at minutes (uint32 BE)
        || certificate code (uint32 BE)

    This is the layout only: the caller holds valid fields (a parsed label's, or those
    ``verify.label_codec.claim_bytes`` has checked). ``minutes`` counts whole minutes since
    the Unix epoch. Fields that cannot be laid out raise ``ValueError`` (``UnicodeError``
    for non-ASCII text, a serial over 255 characters, a kid that is not 8 hex digits) or
    ``struct.error`` (a number that is not a uint32).
    """
    serial_ascii = serial.encode("ascii")
    return b"".join(
        (
            _LABEL_HEADER,
            gtin14.encode("ascii"),
            bytes((len(serial_ascii),)),
            serial_ascii,
            bytes.fromhex(kid),
            _UINT32_PAIR.pack(minutes, certificate_code),
        )
    )


def label_messages(
    *, gtin14: str, serials: Iterable[str], kid: str, minutes: int, certificate_code: int
) -> list[bytes]:
    """:func:`label_message` for each serial of a batch whose other fields are shared.

    The bytes before and after the serial field are cut once from :func:`label_message`'s
    own output (so the layout is written once, above), then each message is three joins.
    """
    probe = label_message(
        gtin14=gtin14, serial="0", kid=kid, minutes=minutes, certificate_code=certificate_code
    )
    head, tail = probe[: -(2 + _LABEL_TAIL_LENGTH)], probe[-_LABEL_TAIL_LENGTH:]
    heads = [head + bytes((length,)) for length in range(256)]
    try:
        return [heads[len(serial)] + serial.encode("ascii") + tail for serial in serials]
    except IndexError:
        raise ValueError("a serial has at most 255 characters") from None


# ------------------------------------------------------------------------ key id


def key_id(public_key: bytes) -> str:
    """The key id of a raw 32-byte Ed25519 public key: hex of SHA-256(key)[:4], lower case
    (label-format section 4.1). Labels carry it; trust lists and the keyring index by it.

    Raises ``TypeError`` if ``public_key`` is not bytes-like, ``ValueError`` if it is not
    32 bytes long.
    """
    if not isinstance(public_key, bytes | bytearray | memoryview):
        raise TypeError("an Ed25519 public key is bytes")
    raw = bytes(public_key)
    if len(raw) != 32:
        raise ValueError("an Ed25519 public key is exactly 32 bytes")
    return hashlib.sha256(raw).digest()[:4].hex()


# --------------------------------------------------------------------- GTIN check


def gtin_check_digit(body: str) -> int:
    """The GS1 mod-10 check digit of ``body``, a GTIN without its check digit (1 to 17
    ASCII digits: 7, 11, 12 or 13 for a GTIN-8, -12, -13 or -14).

    Weights alternate 3, 1, 3, ... from the rightmost digit of the body; the check digit
    brings the weighted sum to a multiple of 10. Raises ``ValueError`` for another body.
    """
    # str.isdigit() alone would accept other scripts' digits ("١"), hence isascii().
    if not (isinstance(body, str) and 0 < len(body) <= 17 and body.isascii() and body.isdigit()):
        raise ValueError("a GTIN body is 1 to 17 ASCII digits")
    codes = body.encode("ascii")[::-1]  # ASCII codes, rightmost digit first
    by_three, by_one = codes[0::2], codes[1::2]
    total = 3 * (sum(by_three) - 48 * len(by_three)) + sum(by_one) - 48 * len(by_one)
    return -total % 10
