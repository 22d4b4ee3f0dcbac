"""Finding an artisan of one's body: by a part of a name in Latin or Arabic script, a NIA, a
registry id, a city or a craft. The workspace pages and ``GET /api/v1/artisans/search`` both
call :func:`search_artisans`.

What matches. The query is folded like the stored key (:mod:`schemas.search_key`: case,
accents, Arabic diacritics and hamza/alef variants ignored) and split into words; an artisan
matches when **every** word does:

* a word of three characters or more matches anywhere in the artisan's names, NIA, registry
  id, city or craft (``atim`` finds *Fatima*, ``000123`` finds *NIA-08-000123*);
* a word of one or two characters matches the start of a word (``fa`` finds *Fatima* and
  *Fès*, not *Khalifa*).

Who sees what: an admin or inspector finds the artisans of its own body, nobody else's
(the rule of :mod:`labeling.registry.artisans`); an artisan searches nothing (403).

Pages are keyset pages in id order: ``next_cursor`` names the last artisan returned, and the
next page starts after it. A page never skips or repeats an artisan because others were
registered meanwhile (they have larger ids and come on a later page), and its cost does not
grow with how deep the client has paged.

The index (migration 0006) answers without reading every artisan of the body: a trigram GIN
index on PostgreSQL, an FTS5 trigram table on SQLite (``bench/workspace_search.py`` measures
it at 4,200 and 420,000 artisans).
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from sqlalchemy import ColumnElement, literal, literal_column, text
from sqlmodel import Session, col, select

from core.auth import Principal
from core.problems import UnprocessableContent
from labeling.registry.service import staff_body_id
from schemas.registry import Artisan
from schemas.search_key import normalise

__all__ = [
    "MAX_QUERY_LENGTH",
    "MAX_SEARCH_LIMIT",
    "ArtisanSearchPage",
    "SearchCursorInvalid",
    "SearchQueryInvalid",
    "decode_cursor",
    "encode_cursor",
    "query_words",
    "search_artisans",
]

MAX_QUERY_LENGTH = 100
MAX_SEARCH_LIMIT = 100
#: Query words shorter than this match the start of a word; longer ones, any part.
_SUBSTRING_FROM = 3
_CURSOR_PREFIX = "a1:"


class SearchQueryInvalid(UnprocessableContent):
    slug = "search-query-invalid"
    title = "Nothing to search for"


class SearchCursorInvalid(UnprocessableContent):
    slug = "search-cursor-invalid"
    title = "The cursor was not issued by this search"


@dataclass(frozen=True, slots=True)
class ArtisanSearchPage:
    """One page of matches, in id order; ``next_cursor`` is None on the last page."""

    items: list[Artisan]
    next_cursor: str | None


def encode_cursor(artisan_id: int) -> str:
    """An opaque cursor: the page that follows starts after ``artisan_id``."""
    raw = f"{_CURSOR_PREFIX}{artisan_id}".encode("ascii")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: str) -> int:
    """The id a cursor from :func:`encode_cursor` names, or :class:`SearchCursorInvalid`."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        raw = base64.urlsafe_b64decode(padded.encode("ascii")).decode("ascii")
    except (binascii.Error, UnicodeError, ValueError) as exc:
        raise SearchCursorInvalid("Pass back the next_cursor of the previous page.") from exc
    number = raw.removeprefix(_CURSOR_PREFIX)
    if raw == number or not number.isascii() or not number.isdigit() or len(number) > 10:
        raise SearchCursorInvalid("Pass back the next_cursor of the previous page.")
    after = int(number)
    if after > 2**31 - 1:
        raise SearchCursorInvalid("Pass back the next_cursor of the previous page.")
    return after


def query_words(query: str) -> list[str]:
    """The folded words of a query, duplicates and words contained in a longer one dropped
    (they add nothing to an AND); :class:`SearchQueryInvalid` when nothing is left."""
    if len(query) > MAX_QUERY_LENGTH:
        raise SearchQueryInvalid(f"Search with at most {MAX_QUERY_LENGTH} characters.")
    words = sorted(set(normalise(query).split()), key=lambda word: (-len(word), word))
    kept: list[str] = []
    for word in words:
        # A long word inside a longer one adds nothing; a short one means "starts a word",
        # which a longer word matching anywhere does not imply.
        if len(word) >= _SUBSTRING_FROM and any(word in longer for longer in kept):
            continue
        if word not in kept:
            kept.append(word)
    if not kept:
        raise SearchQueryInvalid(
            "Type a letter or a digit of a name, a NIA, a city or a craft.", query=query
        )
    return kept


def _sqlite_match(words: list[str]) -> str:
    """An FTS5 query: each word a quoted trigram phrase (a short one behind the word-start
    marker); words hold letters and digits only, so nothing needs escaping."""
    return " AND ".join(
        f'"{word}"' if len(word) >= _SUBSTRING_FROM else f'"^^{word}"' for word in words
    )


def _postgres_filters(words: list[str]) -> list[ColumnElement[bool]]:
    """``LIKE`` patterns written into the SQL text, not bound: PostgreSQL then plans each
    search for its own words. A bound pattern lets a prepared statement (psycopg prepares
    a statement it has run five times) fall back to a generic plan, which cannot tell a
    rare word (use the trigram index) from a common one (walk the ids) and walks a whole
    body for a word it does not hold. Words hold letters and digits only."""
    padded: ColumnElement[str] = literal_column("(' ' || artisan.search_key)")
    return [
        padded.like(
            literal(
                f"%{word}%" if len(word) >= _SUBSTRING_FROM else f"% {word}%",
                literal_execute=True,
            )
        )
        for word in words
    ]


def _matching_ids(
    session: Session, *, body_id: int, words: list[str], after: int, count: int
) -> list[int]:
    """The ids of the first ``count`` artisans of the body after ``after`` that match every
    word, in id order.

    SQLite: the FTS5 table drives, in rowid (= artisan id) order, and the walk stops after
    ``count`` rows of the body. PostgreSQL chooses between the trigram index (few matches)
    and a walk of the body's ``(body_id, id)`` index that carries the key (many matches:
    the walk stops early), so neither reads the table beyond the page.
    """
    if words and session.get_bind().dialect.name == "sqlite":
        found = session.execute(
            text(
                "SELECT artisan.id FROM artisan_search "
                "JOIN artisan ON artisan.id = artisan_search.rowid "
                "WHERE artisan_search MATCH :match AND artisan_search.rowid > :after "
                "AND artisan.body_id = :body_id ORDER BY artisan_search.rowid LIMIT :count"
            ),
            {"match": _sqlite_match(words), "after": after, "body_id": body_id, "count": count},
        )
        return [int(row_id) for row_id in found.scalars()]
    statement = select(Artisan.id).where(
        Artisan.body_id == body_id, col(Artisan.id) > after, *_postgres_filters(words)
    )
    found_ids = session.exec(statement.order_by(col(Artisan.id)).limit(count))
    return [row_id for row_id in found_ids if row_id is not None]


def search_artisans(
    *,
    session: Session,
    principal: Principal,
    query: str | None,
    limit: int,
    cursor: str | None,
) -> ArtisanSearchPage:
    """The artisans of the caller's body that match ``query`` (all of them when ``query``
    is None), at most ``limit`` (1 … :data:`MAX_SEARCH_LIMIT`), after ``cursor``."""
    body_id = staff_body_id(principal)
    if not 1 <= limit <= MAX_SEARCH_LIMIT:
        raise SearchQueryInvalid(f"Ask for 1 to {MAX_SEARCH_LIMIT} artisans per page.")
    after = decode_cursor(cursor) if cursor is not None else 0
    words = query_words(query) if query is not None else []
    ids = _matching_ids(session, body_id=body_id, words=words, after=after, count=limit + 1)
    rows = (
        list(
            session.exec(select(Artisan).where(col(Artisan.id).in_(ids)).order_by(col(Artisan.id)))
        )
        if ids
        else []
    )
    more = len(rows) > limit
    items = rows[:limit]
    last = items[-1].id if items else None
    return ArtisanSearchPage(
        items=items, next_cursor=encode_cursor(last) if more and last is not None else None
    )
