"""The workspace's navigation, by role: add your page's entry to its role's list.

Each entry is a words key (:data:`labeling.workspace.messages.WORDS`, or a
:class:`~labeling.workspace.i18n.Text`) and a path. The entry whose path is the longest
prefix of the current page's path is marked ``aria-current="page"``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from labeling.workspace.admin_words import WORDS as ADMIN_WORDS
from labeling.workspace.artisan_words import NAV_PRODUCTS, NAV_PROFILE
from labeling.workspace.cases_words import WORDS as CASES_WORDS
from labeling.workspace.i18n import Text
from schemas.types import Role

__all__ = ["NAV", "NavItem", "current_item"]


@dataclass(frozen=True, slots=True)
class NavItem:
    words: str | Text
    href: str


HOME: Final = NavItem("home", "/workspace")

NAV: Final[dict[Role, tuple[NavItem, ...]]] = {
    Role.INSPECTOR: (
        HOME,
        NavItem("nav_artisans", "/workspace/artisans"),
        NavItem("nav_new_artisan", "/workspace/artisans/new"),
        NavItem("nav_audits", "/workspace/audits"),
    ),
    Role.ADMIN: (
        HOME,
        NavItem(ADMIN_WORDS["nav_inspectors"], "/workspace/inspectors"),
        NavItem(ADMIN_WORDS["nav_certificates"], "/workspace/certificates"),
        NavItem(ADMIN_WORDS["nav_batches"], "/workspace/batches"),
        NavItem(ADMIN_WORDS["nav_keys"], "/workspace/keys"),
        NavItem(CASES_WORDS["nav_cases"], "/workspace/cases"),
    ),
    Role.ARTISAN: (
        HOME,
        NavItem(NAV_PROFILE, "/workspace/my/profile"),
        NavItem(NAV_PRODUCTS, "/workspace/my/products"),
    ),
}


def current_item(items: tuple[NavItem, ...], path: str) -> NavItem | None:
    """The entry of the page at ``path`` (longest matching prefix)."""
    best: NavItem | None = None
    for item in items:
        if path == item.href or path.startswith(item.href.rstrip("/") + "/"):
            if best is None or len(item.href) > len(best.href):
                best = item
    return best
