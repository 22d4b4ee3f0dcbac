"""The catalogue's names in the public pages' four languages.

``data/catalogue-names.json`` (beside the seed) translates regions, bodies, label schemes
and their levels, crafts and standards' titles where a translation is established, and says
which language each recorded name is in; :func:`catalogue_names` reads it once and hands
the public pages a :class:`verify.pages.names.CatalogueNames`. The translations live beside
the seed rather than in the database: they change with the catalogue's data, not with the
registry's records, and the pages look them up by code when they render.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from verify.pages.names import CatalogueNames

__all__ = ["catalogue_names"]

_PACKAGED = ("data", "catalogue-names.json")


@cache
def catalogue_names() -> CatalogueNames:
    """The packaged translations (read once per process)."""
    text = resources.files("labeling.catalog").joinpath(*_PACKAGED).read_text(encoding="utf-8")
    return CatalogueNames.from_mapping(json.loads(text))
