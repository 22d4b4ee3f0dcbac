"""GTIN handling for Khatem labels: normalisation, GS1 check digits and registry GTINs.

Every Khatem label carries a GTIN-14 (GS1 Application Identifier ``01``). Artisans who
hold a GS1 company prefix (for example one allocated by GS1 Morocco, prefix ``611``) use
their own GTINs; artisans without one get a *registry GTIN*: a GS1 Restricted
Circulation Number (RCN) from the "company internal numbering" range, GS1 prefix ``04``,
inside a sub-range the registry reserves for itself. See ``docs/label-format.md``
section "Registry GTINs" for the normative rules.

This module is pure (no I/O); the check digit itself is computed by :mod:`verify.canonical`.
"""

from __future__ import annotations

from typing import Final

from verify import canonical

__all__ = [
    "GTIN_LENGTHS",
    "REGISTRY_GTIN_PREFIX",
    "REGISTRY_SEQUENCE_MAX",
    "GtinError",
    "gtin_check_digit",
    "is_registry_gtin",
    "is_valid_gtin",
    "normalise_gtin",
    "registry_gtin",
]

#: Accepted input lengths: GTIN-8, GTIN-12 (UPC-A), GTIN-13 (EAN-13) and GTIN-14.
GTIN_LENGTHS: Final[frozenset[int]] = frozenset({8, 12, 13, 14})

#: GTIN-14 prefix of every registry-assigned GTIN: indicator digit ``0``, GS1 prefix
#: ``04`` (RCN-13, company internal numbering) and registry sub-prefix ``9``.
REGISTRY_GTIN_PREFIX: Final[str] = "0049"

_REGISTRY_SEQUENCE_DIGITS: Final[int] = 14 - len(REGISTRY_GTIN_PREFIX) - 1

#: Largest sequence number :func:`registry_gtin` accepts (``999_999_999``).
REGISTRY_SEQUENCE_MAX: Final[int] = 10**_REGISTRY_SEQUENCE_DIGITS - 1


class GtinError(ValueError):
    """Raised for a string that is not a well-formed GTIN with a valid check digit."""


def _is_ascii_digits(text: str) -> bool:
    # str.isdigit() alone would accept non-ASCII digits such as "١" or "²".
    return text.isascii() and text.isdigit()


def gtin_check_digit(body: str) -> int:
    """Return the GS1 mod-10 check digit for ``body`` (a GTIN without its check digit).

    ``body`` is 1 to 17 ASCII digits (7, 11, 12 or 13 for GTIN-8/12/13/14). Weights
    alternate 3, 1, 3, ... starting from the rightmost digit of the body. The arithmetic
    is :func:`verify.canonical.gtin_check_digit`'s; this raises :class:`GtinError`.
    """
    try:
        return canonical.gtin_check_digit(body)
    except ValueError:
        raise GtinError("GTIN body must be 1 to 17 ASCII digits") from None


def normalise_gtin(text: str) -> str:
    """Validate a GTIN-8/12/13/14 and return it as a GTIN-14 (left-padded with zeros).

    Input must consist solely of ASCII digits (no spaces, no separators) and carry a
    valid GS1 mod-10 check digit. Raises :class:`GtinError` otherwise.
    """
    if not isinstance(text, str):
        raise GtinError("GTIN must be a string")
    if len(text) not in GTIN_LENGTHS or not _is_ascii_digits(text):
        raise GtinError("GTIN must be 8, 12, 13 or 14 ASCII digits")
    if gtin_check_digit(text[:-1]) != ord(text[-1]) - 48:
        raise GtinError("GTIN check digit is wrong")
    return text.rjust(14, "0")


def is_valid_gtin(text: str) -> bool:
    """Return whether ``text`` is a GTIN-8/12/13/14 with a valid check digit."""
    try:
        normalise_gtin(text)
    except GtinError:
        return False
    return True


def registry_gtin(sequence: int) -> str:
    """Return the registry GTIN-14 for ``sequence`` (0 .. :data:`REGISTRY_SEQUENCE_MAX`).

    Layout: ``0`` ``04`` ``9`` + 9-digit zero-padded sequence + check digit.
    """
    if isinstance(sequence, bool) or not isinstance(sequence, int):
        raise GtinError("registry GTIN sequence must be an int")
    if not 0 <= sequence <= REGISTRY_SEQUENCE_MAX:
        raise GtinError(f"registry GTIN sequence must be in 0..{REGISTRY_SEQUENCE_MAX}")
    body = REGISTRY_GTIN_PREFIX + str(sequence).rjust(_REGISTRY_SEQUENCE_DIGITS, "0")
    return body + str(gtin_check_digit(body))


def is_registry_gtin(gtin: str) -> bool:
    """Return whether ``gtin`` (any accepted length) is a valid registry-assigned GTIN."""
    try:
        normalised = normalise_gtin(gtin)
    except GtinError:
        return False
    return normalised.startswith(REGISTRY_GTIN_PREFIX)
