"""Arabic text for renderers that cannot shape it: joined letters in visual order.

Why: fpdf2 shapes Arabic only through HarfBuzz (``uharfbuzz``, not a dependency), and
Pillow only when it has libraqm. Without shaping, an artisan's Arabic name would print
as isolated letters, left to right — unreadable. This fallback does what a reader needs
on a label: each letter takes its contextual form (isolated, initial, medial, final)
from Unicode's Arabic Presentation Forms-B, lam + alef becomes the mandatory ligature,
and the line is reordered for display right to left, keeping Latin words and numbers
left to right inside it. It does not position vowel marks as HarfBuzz would, and
letters without a Presentation Forms-B glyph (some Persian or Urdu letters) keep their
nominal form. The forms come from the Unicode character database, not a hand-typed table.
"""

from __future__ import annotations

import unicodedata
from typing import Final

__all__ = ["shape_arabic_for_display", "has_right_to_left"]

_FORM_TAGS: Final[frozenset[str]] = frozenset({"isolated", "final", "initial", "medial"})
_LAM: Final[str] = "\u0644"
_TATWEEL: Final[str] = "\u0640"
_MIRRORED: Final[dict[str, str]] = {
    "(": ")",
    ")": "(",
    "[": "]",
    "]": "[",
    "{": "}",
    "}": "{",
    "<": ">",
    ">": "<",
    "«": "»",
    "»": "«",
}


def _presentation_forms() -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    """Letter -> {form: glyph} and alef -> {form: lam-alef ligature}, from Unicode data."""
    letters: dict[str, dict[str, str]] = {}
    lam_alef: dict[str, dict[str, str]] = {}
    for code in range(0xFE70, 0xFEFD):
        glyph = chr(code)
        tag, _, parts = unicodedata.decomposition(glyph).partition(" ")
        tag = tag.strip("<>")
        if tag not in _FORM_TAGS:
            continue
        bases = [chr(int(part, 16)) for part in parts.split()]
        if len(bases) == 1 and "\u0621" <= bases[0] <= "\u06ff":
            letters.setdefault(bases[0], {})[tag] = glyph
        elif len(bases) == 2 and bases[0] == _LAM:
            lam_alef.setdefault(bases[1], {})[tag] = glyph
    return letters, lam_alef


_LETTER_FORMS, _LAM_ALEF_FORMS = _presentation_forms()
#: Letters that join on both sides (they have an initial or medial form).
_DUAL_JOINING: Final[frozenset[str]] = frozenset(
    letter for letter, forms in _LETTER_FORMS.items() if "initial" in forms or "medial" in forms
) | {_TATWEEL}
#: Letters that join only to the letter before them (final form but no initial one).
_RIGHT_JOINING: Final[frozenset[str]] = frozenset(
    letter
    for letter, forms in _LETTER_FORMS.items()
    if "final" in forms and letter not in _DUAL_JOINING
)


def has_right_to_left(text: str) -> bool:
    """True if ``text`` holds any right-to-left letter (Arabic, Hebrew, …)."""
    return any(unicodedata.bidirectional(char) in ("R", "AL") for char in text)


def shape_arabic_for_display(text: str) -> str:
    """``text`` (logical order) as joined glyphs in left-to-right visual order.

    The result is meant to be drawn by a renderer that places characters one after the
    other from left to right, with a font that covers Arabic Presentation Forms-B.
    """
    return _visual_order(_join_letters(text))


def _is_transparent(char: str) -> bool:
    # Vowel marks and other combining marks do not break or make a joining chain.
    return unicodedata.category(char) in ("Mn", "Me")


def _joins(char: str | None) -> bool:
    return char is not None and (char in _DUAL_JOINING or char in _RIGHT_JOINING)


def _join_letters(text: str) -> str:
    chars = list(text)
    count = len(chars)
    # For each position, the nearest non-transparent neighbours.
    previous: list[str | None] = [None] * count
    following: list[str | None] = [None] * count
    last: str | None = None
    for index, char in enumerate(chars):
        previous[index] = last
        if not _is_transparent(char):
            last = char
    last = None
    for index in range(count - 1, -1, -1):
        following[index] = last
        if not _is_transparent(chars[index]):
            last = chars[index]

    out: list[str] = []
    index = 0
    while index < count:
        char = chars[index]
        joins_before = _joins(char) and previous[index] in _DUAL_JOINING
        if char == _LAM and index + 1 < count and chars[index + 1] in _LAM_ALEF_FORMS:
            ligatures = _LAM_ALEF_FORMS[chars[index + 1]]
            out.append(ligatures["final" if joins_before and "final" in ligatures else "isolated"])
            index += 2
            continue
        forms = _LETTER_FORMS.get(char)
        if forms is None:
            out.append(char)
        else:
            joins_after = char in _DUAL_JOINING and _joins(following[index])
            if joins_before and joins_after:
                form = "medial"
            elif joins_before:
                form = "final"
            elif joins_after:
                form = "initial"
            else:
                form = "isolated"
            out.append(forms.get(form) or forms.get("isolated") or char)
        index += 1
    return "".join(out)


def _is_left_to_right(char: str) -> bool:
    return unicodedata.bidirectional(char) in ("L", "EN", "AN")


def _visual_order(text: str) -> str:
    """Reorder a right-to-left line for left-to-right drawing.

    A simplified Unicode bidirectional algorithm for one right-to-left line: runs that
    start and end with a left-to-right character or a digit (with whatever neutral
    characters lie between) keep their order; everything else is reversed, a base
    character staying ahead of its combining marks, and paired brackets are mirrored.
    """
    clusters: list[str] = []
    for char in text:
        if clusters and _is_transparent(char):
            clusters[-1] += char
        else:
            clusters.append(char)
    runs: list[tuple[bool, list[str]]] = []  # (left to right?, clusters)
    index = 0
    while index < len(clusters):
        if _is_left_to_right(clusters[index][0]):
            end = index
            probe = index + 1
            while probe < len(clusters):
                base = clusters[probe][0]
                if _is_left_to_right(base):
                    end = probe
                elif unicodedata.bidirectional(base) in ("R", "AL"):
                    break
                probe += 1
            runs.append((True, clusters[index : end + 1]))
            index = end + 1
        else:
            if runs and not runs[-1][0]:
                runs[-1][1].append(clusters[index])
            else:
                runs.append((False, [clusters[index]]))
            index += 1
    visual: list[str] = []
    for left_to_right, run in reversed(runs):
        if left_to_right:
            visual.extend(run)
        else:
            visual.extend(_MIRRORED.get(c, c) if len(c) == 1 else c for c in reversed(run))
    return "".join(visual)
