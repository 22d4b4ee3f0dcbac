"""Strict JSON for the registry's signed documents (the trust list, the status snapshots).

A verifier reads these files from untrusted storage (a CDN, a USB stick at a border post),
so it accepts one reading of each byte string and nothing else: no duplicate member (two
parsers could disagree on which one counts), only ASCII member names, no NaN or Infinity,
no fractions, and only integers a JavaScript verifier holds exactly (±(2**53 - 1)).
"""

from __future__ import annotations

import json
from typing import Any, Final

__all__ = ["MAX_SAFE_INTEGER", "StrictJsonError", "loads_object"]

MAX_SAFE_INTEGER: Final = 2**53 - 1


class StrictJsonError(ValueError):
    """The bytes are not one strict JSON object; the message says why."""


def _strict_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise StrictJsonError(f"duplicate member {key[:40]!r}")
        if not key.isascii():
            raise StrictJsonError("member names must be ASCII")
        result[key] = value
    return result


def _no_constant(name: str) -> Any:
    raise StrictJsonError(f"{name} is not allowed")


def _no_float(text: str) -> Any:
    raise StrictJsonError("numbers must be integers")


def _bounded_int(text: str) -> int:
    # The length bound comes first: int() of a huge digit string is itself quadratic.
    if len(text) > 17:
        raise StrictJsonError("integer too large")
    value = int(text)
    if not -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
        raise StrictJsonError("integer too large: integers are within +/-(2**53 - 1)")
    return value


def loads_object(raw: bytes, *, what: str) -> dict[str, Any]:
    """The JSON object in ``raw`` (UTF-8), read strictly. Raises :class:`StrictJsonError`
    whose message starts with ``what`` ("snapshot", "document") where it names the input."""
    try:
        document = json.loads(
            raw.decode("utf-8"),
            object_pairs_hook=_strict_object,
            parse_constant=_no_constant,
            parse_float=_no_float,
            parse_int=_bounded_int,
        )
    except UnicodeDecodeError:
        raise StrictJsonError(f"{what} is not UTF-8") from None
    except StrictJsonError:
        raise
    except (ValueError, RecursionError):
        raise StrictJsonError(f"{what} is not valid JSON") from None
    if not isinstance(document, dict):
        raise StrictJsonError(f"{what} is not a JSON object")
    return document
