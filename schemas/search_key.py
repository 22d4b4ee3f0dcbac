"""The search key of an artisan: its names, NIA, registry id, city and craft, normalised so
that a search ignores case, accents, Arabic diacritics and the spelling variants of hamza,
alef, teh marbuta and alef maksura.

:func:`normalise` folds one text; :func:`artisan_search_key` builds the key stored in
``artisan.search_key``, which the table model keeps up to date on every insert and update
(``schemas.registry``). A query is folded by the same function, so whatever a user types
and whatever was registered meet in one form:

* Latin: compatibility decomposition (NFKD), case folding, combining marks dropped
  (``Fès`` -> ``fes``, ``AÏT`` -> ``ait``), the letters NFKD does not split folded by hand
  (``œ`` -> ``oe``, ``ø`` -> ``o``, ``ł`` -> ``l`` …);
* Arabic: tashkeel (harakat, shadda, sukun, superscript alef, the Quranic marks) and the
  tatweel dropped; hamza and madda carriers folded onto their letter (``أ إ آ ٱ`` -> ``ا``,
  ``ؤ`` -> ``و``, ``ئ`` -> ``ي``) and a standalone ``ء`` dropped; ``ى`` -> ``ي``,
  ``ة`` -> ``ه``; the Persian ``ک ی`` folded onto ``ك ي``; presentation forms (as some old
  keyboards and PDFs produce) to the base letters; Arabic-Indic digits to ASCII digits;
* apostrophes vanish (``Aït Ba'amrane`` -> ``ait baamrane``); every other character that is
  not a letter or a digit separates words; words are separated by one space.

The result is idempotent: ``normalise(normalise(t)) == normalise(t)``.
"""

from __future__ import annotations

import unicodedata
from typing import Final

__all__ = ["artisan_search_key", "normalise"]

_FOLD: Final[dict[int, str | None]] = {
    # Arabic letters NFKD leaves alone.
    0x0671: "\u0627",  # alef wasla -> alef
    0x0649: "\u064a",  # alef maksura -> yeh
    0x0629: "\u0647",  # teh marbuta -> heh
    0x06A9: "\u0643",  # keheh -> kaf
    0x06CC: "\u064a",  # farsi yeh -> yeh
    0x06C1: "\u0647",  # heh goal -> heh
    0x0621: None,  # standalone hamza
    0x0640: None,  # tatweel
    # Latin letters NFKD does not decompose.
    0x0153: "oe",
    0x00E6: "ae",
    0x00F8: "o",
    0x0111: "d",
    0x0142: "l",
    0x0127: "h",
    0x0131: "i",  # dotless i
    # Apostrophes and the like join the parts of a word instead of splitting it.
    0x0027: None,
    0x2019: None,
    0x2018: None,
    0x02BC: None,
    0x02BF: None,
    0x02BE: None,
    0x0060: None,
    0x00B4: None,
}
# Arabic-Indic (U+0660-0669) and Eastern Arabic-Indic (U+06F0-06F9) digits.
_FOLD.update({0x0660 + digit: str(digit) for digit in range(10)})
_FOLD.update({0x06F0 + digit: str(digit) for digit in range(10)})


def _fold_once(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).casefold()
    text = unicodedata.normalize("NFKD", text).translate(_FOLD)
    kept: list[str] = []
    for char in text:
        category = unicodedata.category(char)
        if category[0] in "LN":
            kept.append(char)
        elif category[0] != "M":  # marks (accents, tashkeel) vanish; the rest separates
            kept.append(" ")
    return " ".join("".join(kept).split())


def normalise(text: str) -> str:
    """``text`` folded for search: lower-case, without accents or tashkeel, Arabic letter
    variants folded, words separated by single spaces (see the module doc)."""
    folded = _fold_once(text)
    # Case folding can produce a character whose decomposition folds further (rare:
    # U+0130 and a few ligatures); fold until nothing changes.
    for _ in range(3):
        again = _fold_once(folded)
        if again == folded:
            break
        folded = again
    return folded


def artisan_search_key(
    *,
    display_name_latin: str,
    display_name_arabic: str,
    nia: str,
    public_id: str,
    city: str,
    metier: str,
) -> str:
    """What a search of the registry matches: names in both scripts, NIA, registry id,
    city and craft, normalised, as one string of words."""
    parts = (display_name_latin, display_name_arabic, nia, public_id, city, metier)
    return normalise(" ".join(parts))
