"""Page parameters shared by every list route (registry, audits, certificates, labels).

A list answers at most ``settings.max_page_size`` items per page. Asking for more is a
422 ``page-size-too-large`` rather than a silent clamp: a client that believes it got a
whole list when it got a truncated one is the worse failure. Offsets are bounded too, so
that no query parameter can overflow a database integer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query

from core.auth import SettingsDep
from core.problems import UnprocessableContent

__all__ = [
    "MAX_OFFSET",
    "KeysetPage",
    "KeysetPageDep",
    "PAGE_DESCRIPTION",
    "PageDep",
    "PageRequest",
    "PageSizeTooLarge",
    "keyset_page_request",
    "page_request",
]

MAX_OFFSET = 2**31 - 1
# A bound for the schema only, so that no parameter can overflow a database integer; the
# real maximum is the configured max_page_size, checked below with its own problem slug.
_LIMIT_CEILING = 2**31 - 1

PAGE_DESCRIPTION = (
    "Paginated with `limit` (1 … `max_page_size`, 200 unless `KHATEM_MAX_PAGE_SIZE` says "
    "otherwise; default `default_page_size`, 50) and `offset`. A larger `limit` answers 422 "
    "`page-size-too-large`, never a silently shorter page. The answer carries `total` and "
    "`next_offset` (null on the last page)."
)


class PageSizeTooLarge(UnprocessableContent):
    slug = "page-size-too-large"
    title = "Page size over the maximum"


@dataclass(frozen=True, slots=True)
class PageRequest:
    limit: int
    offset: int


def page_request(
    settings: SettingsDep,
    limit: Annotated[
        int | None,
        Query(
            ge=1,
            le=_LIMIT_CEILING,
            description="Page size, at most max_page_size (200 by default); more is a 422 "
            "page-size-too-large.",
        ),
    ] = None,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip.")] = 0,
) -> PageRequest:
    """The validated page a list route serves."""
    if limit is None:
        limit = min(settings.default_page_size, settings.max_page_size)
    elif limit > settings.max_page_size:
        raise PageSizeTooLarge(
            f"Ask for at most {settings.max_page_size} items per page.",
            max_page_size=settings.max_page_size,
        )
    return PageRequest(limit=limit, offset=offset)


PageDep = Annotated[PageRequest, Depends(page_request)]


@dataclass(frozen=True, slots=True)
class KeysetPage:
    """A page after a known id (receipts, webhook deliveries): stable while rows arrive."""

    limit: int
    after: int


def keyset_page_request(
    settings: SettingsDep,
    limit: Annotated[
        int | None,
        Query(
            ge=1,
            le=_LIMIT_CEILING,
            description="Page size, at most max_page_size (200 by default); more is a 422 "
            "page-size-too-large.",
        ),
    ] = None,
    after: Annotated[
        int, Query(ge=0, le=2**63 - 1, description="The `next_after` of the previous page")
    ] = 0,
) -> KeysetPage:
    """The validated keyset page a list route serves (the same ``limit`` rule as offsets)."""
    page = page_request(settings, limit=limit, offset=0)
    return KeysetPage(limit=page.limit, after=after)


KeysetPageDep = Annotated[KeysetPage, Depends(keyset_page_request)]
