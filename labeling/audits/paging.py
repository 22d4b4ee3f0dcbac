"""Page sizes: a documented default and a hard maximum (``settings.max_page_size``).

A request for more than the maximum is refused with 422 ``page-size-too-large`` rather than
silently shortened, so that a client paging through the registry never mistakes a short
page for the end of the list.
"""

from __future__ import annotations

from core.problems import UnprocessableContent
from core.settings import Settings

__all__ = ["MAX_OFFSET", "page_size"]

MAX_OFFSET = 1_000_000_000


def page_size(requested: int | None, settings: Settings) -> int:
    if requested is None:
        return min(settings.default_page_size, settings.max_page_size)
    if requested > settings.max_page_size:
        raise UnprocessableContent(
            f"At most {settings.max_page_size} items per page.",
            slug="page-size-too-large",
            max_page_size=settings.max_page_size,
        )
    return requested
