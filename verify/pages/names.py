"""Catalogue names in the page's language, each with the language it is really written in.

The registry records catalogue names (regions, crafts, label schemes and their levels,
bodies) in French and standards' titles mostly in English. A page in another language shows
a name's translation when one is established, else the recorded name — and says which
language that name is in (``lang``), so that a screen reader reading an Arabic page switches
to a French voice for a French name (WCAG 2.1, 3.1.2 "Language of parts").

:class:`CatalogueNames` holds the translations by kind and code; the registry loads them from
the catalogue's own data (``labeling/catalog/data/catalogue-names.json``) and hands them to
the render functions. Without it (``NO_TRANSLATIONS``) every name is shown as recorded, still
marked with its language.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final, Literal

from verify.pages.i18n import LANGUAGES, Lang

__all__ = [
    "KINDS",
    "NO_TRANSLATIONS",
    "CatalogueNames",
    "Kind",
    "Name",
    "text_language",
]

Kind = Literal["region", "craft", "scheme", "level", "body", "standard"]
KINDS: Final[tuple[Kind, ...]] = ("region", "craft", "scheme", "level", "body", "standard")
#: The language the registry records each kind in (a record may say otherwise).
RECORDED_IN: Final[dict[Kind, Lang]] = {
    "region": "fr",
    "craft": "fr",
    "scheme": "fr",
    "level": "fr",
    "body": "fr",
    "standard": "en",
}
#: The section of ``catalogue-names.json`` that holds each kind.
_SECTIONS: Final[dict[Kind, str]] = {
    "region": "regions",
    "craft": "crafts",
    "scheme": "schemes",
    "level": "levels",
    "body": "bodies",
    "standard": "standards",
}
_ARABIC_LETTER: Final = re.compile(
    "[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]"
)


@dataclass(frozen=True, slots=True)
class Name:
    """A name as a page shows it: the text and the language it is written in."""

    text: str
    lang: str


def text_language(text: str, default: Lang = "fr") -> str:
    """The language of a free-text record (a product line's name): Arabic when it is written
    in Arabic letters, else the registry's record language."""
    return "ar" if _ARABIC_LETTER.search(text) else default


@dataclass(frozen=True)
class CatalogueNames:
    """Translations of catalogue names: ``table[kind][code][lang]``; ``recorded[kind][code]``
    the language of the recorded name where it is not the kind's usual one."""

    table: Mapping[str, Mapping[str, Mapping[str, str]]] = field(default_factory=dict)
    recorded: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> CatalogueNames:
        """From the JSON of ``catalogue-names.json``: ``{section: {code: {lang: text,
        "recorded_in": lang}}}``, one section per kind (``regions``, ``crafts``, ``schemes``,
        ``levels``, ``bodies``, ``standards``); keys starting with ``_`` are notes."""
        table: dict[str, dict[str, dict[str, str]]] = {}
        recorded: dict[str, dict[str, str]] = {}
        for kind in KINDS:
            section = _SECTIONS[kind]
            entries = data.get(section, {})
            if not isinstance(entries, Mapping):
                raise ValueError(f"{section}: expected an object")
            for code, entry in entries.items():
                if str(code).startswith("_"):
                    continue
                if not isinstance(entry, Mapping):
                    raise ValueError(f"{section}.{code}: expected an object")
                names = {k: str(v) for k, v in entry.items() if k in LANGUAGES}
                table.setdefault(kind, {})[str(code)] = names
                source = entry.get("recorded_in")
                if source is not None:
                    if source not in LANGUAGES:
                        raise ValueError(f"{section}.{code}: unknown language {source!r}")
                    recorded.setdefault(kind, {})[str(code)] = str(source)
        return cls(table=table, recorded=recorded)

    def name(self, kind: Kind, code: str | None, recorded: str, lang: Lang) -> Name:
        """``recorded`` (the registry's name of ``code``) as a page in ``lang`` shows it."""
        source = self.recorded.get(kind, {}).get(code or "", RECORDED_IN[kind])
        if lang == source:
            return Name(recorded, source)
        translated = self.table.get(kind, {}).get(code or "", {}).get(lang)
        if translated:
            return Name(translated, lang)
        return Name(recorded, source)


NO_TRANSLATIONS: Final = CatalogueNames()
