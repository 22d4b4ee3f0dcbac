"""Where the catalogue comes from: the seed shipped inside the package, or a file named by
``KHATEM_SEED_PATH`` (or ``--seed``).

The seed (``labeling/catalog/data/domain-seed.json``, with the notes and sources behind it in
``domain-notes.md`` beside it) is package data, read through :mod:`importlib.resources`, so a
clone of the repository and an installed wheel carry the catalogue alike.
"""

from __future__ import annotations

import json
import os
from importlib import resources
from pathlib import Path
from typing import Any

__all__ = ["SEED_PATH_VARIABLE", "SeedNotFound", "read_seed", "seed_description"]

#: The environment variable that points every command at another seed file.
SEED_PATH_VARIABLE = "KHATEM_SEED_PATH"
_PACKAGED = ("data", "domain-seed.json")


class SeedNotFound(FileNotFoundError):
    """The seed file that was asked for does not exist."""


def _chosen(path: Path | None) -> Path | None:
    if path is not None:
        return path
    configured = os.environ.get(SEED_PATH_VARIABLE, "").strip()
    return Path(configured) if configured else None


def read_seed(path: Path | None = None) -> dict[str, Any]:
    """The seed as a dict: from ``path`` if given, else from ``KHATEM_SEED_PATH`` if set,
    else the catalogue shipped with the package."""
    chosen = _chosen(path)
    if chosen is None:
        packaged = resources.files("labeling.catalog").joinpath(*_PACKAGED)
        text = packaged.read_text(encoding="utf-8")
    else:
        if not chosen.is_file():
            raise SeedNotFound(
                f"Seed file not found at {chosen}; fix {SEED_PATH_VARIABLE} or --seed, or unset "
                "them to use the catalogue shipped with Khatem."
            )
        text = chosen.read_text(encoding="utf-8")
    seed: dict[str, Any] = json.loads(text)
    return seed


def seed_description(path: Path | None = None) -> str:
    """Where :func:`read_seed` reads from, for messages."""
    chosen = _chosen(path)
    return str(chosen) if chosen is not None else "the catalogue shipped with Khatem"
