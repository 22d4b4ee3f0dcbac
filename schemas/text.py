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

__all__ = ["WITHOUT_BIDI_CONTROLS", "refuse_bidi_controls"]

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
