"""Text that people read: the bidirectional controls no name may carry.

The embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) reorder what follows
them: stored in a name, U+202E makes ``Coop gnp.exe`` read ``Coop exe.png``, on a page, in a
spreadsheet or in a retailer's system that prints the verdict JSON. Names are refused with
them at the door (:func:`refuse_bidi_controls`); what a page or a CSV shows is stripped of them
as well (:data:`WITHOUT_BIDI_CONTROLS`), for rows written before the door was shut. The marks
(LRM U+200E, RLM U+200F, ALM U+061C) stay allowed: they set the direction of neutral
characters next to them and reorder nothing else.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = [
    "FILE_NAME",
    "SINGLE_LINE",
    "SPACE",
    "TEXT",
    "WITHOUT_BIDI_CONTROLS",
    "bidi_checked",
    "containing",
    "refuse_bidi_controls",
    "trimmed",
]

_RANGES: Final = [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]
_BIDI_CONTROL: Final = re.compile("[\u202a-\u202e\u2066-\u2069]")

#: ``text.translate(WITHOUT_BIDI_CONTROLS)`` drops every bidi embedding, override and isolate.
WITHOUT_BIDI_CONTROLS: Final[dict[int, None]] = dict.fromkeys(_RANGES)


def refuse_bidi_controls(text: str) -> str:
    """A pydantic ``AfterValidator``: ``text`` unchanged, or a ``ValueError`` that says why."""
    found = _BIDI_CONTROL.search(text)
    if found is not None:
        raise ValueError(
            f"bidirectional control character U+{ord(found.group()):04X} is not allowed: "
            "it makes the text read in another order than it is written"
        )
    return text


def bidi_checked(value: object) -> object:
    """A pydantic ``BeforeValidator``: a string as :func:`refuse_bidi_controls` has it (before
    its pattern, which refuses them without saying why); any other value as it is."""
    return refuse_bidi_controls(value) if isinstance(value, str) else value


# --- Patterns of text inputs ------------------------------------------------------------
#
# Inputs are validated as sent and stored as sent: nothing is stripped first, so that
# ``maxLength`` and ``pattern`` in the OpenAPI document mean what the server checks (a
# 101-character name whose first character is a no-break space is 101 characters). Text
# may not begin or end with white space instead. The classes are spelled out (no ``\s``,
# which Python, ECMAScript and Rust's regex crates read differently), and the patterns
# refuse the controls (NUL among them) the validators refuse.
#: White space (Python's ``str.isspace()``: what ``str.strip()`` removed) and the BOM.
_SPACE = r"\x09-\x0d\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
#: ``_SPACE`` for other modules' patterns (a character class body).
SPACE: Final = _SPACE
# The patterns exclude the bidi controls as well, so the document says what the server
# refuses; the names refuse them first (:func:`bidi_checked`, before the pattern), saying why.
_BIDI = r"\u202a-\u202e\u2066-\u2069"
_EDGE = r"\x00-\x20\x7f" + _SPACE + _BIDI
_LINE_INNER = r"\x00-\x1f\x7f" + _BIDI
_TEXT_INNER = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f" + _BIDI


def trimmed(inner: str, *, also: str = "") -> str:
    """A pattern: characters outside ``inner`` and ``also`` (character class bodies), not
    beginning or ending with white space; the empty string too (``minLength`` says whether
    it may be)."""
    return f"^([^{_EDGE}{also}]([^{inner}{also}]*[^{_EDGE}{also}])?)?$"


def containing(letters: str) -> str:
    """As :data:`SINGLE_LINE`, with at least one character of ``letters`` (a class body)."""
    return f"^([^{_EDGE}][^{_LINE_INNER}]*)?[{letters}]([^{_LINE_INNER}]*[^{_EDGE}])?$"


#: One line of text: no control character, no white space at either end.
SINGLE_LINE: Final = trimmed(_LINE_INNER)
#: A file name: one line, without a path separator (``/`` or ``\\``).
FILE_NAME: Final = trimmed(_LINE_INNER, also=r"/\\")
#: Free text (notes, reasons): as one line, but tabs and line breaks inside are allowed.
TEXT: Final = trimmed(_TEXT_INNER)
