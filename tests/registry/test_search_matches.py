"""The search's index (FTS5 on SQLite, pg_trgm on PostgreSQL) answers exactly what the
documented rule says: every folded query word matches, a word of three characters or more
anywhere in the key, a shorter one at the start of a word; only the caller's body; pages in
id order. Checked against a plain Python reading of the rule, on queries hypothesis cuts out
of the registered names (with their case, accents and tashkeel changed)."""

from __future__ import annotations

import random
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, col, select

from core.auth import Principal
from labeling.registry.search import search_artisans
from schemas.registry import Artisan, Body
from schemas.search_key import normalise
from schemas.types import Role

LATIN = [
    "Fatima",
    "Fatiha",
    "Khalifa",
    "Brahim",
    "Ibrahim",
    "Aït Ali",
    "Ouhammou",
    "Bennani",
    "El Fassi",
    "Maâlem",
    "Coopérative",
    "Nour",
    "Zineb",
    "Amal",
    "Tazi",
    "Benali",
]
ARABIC = [
    "فاطمة",
    "فتيحة",
    "خليفة",
    "إبراهيم",
    "آيت علي",
    "أوحمو",
    "بناني",
    "الفاسي",
    "المعلم",
    "تعاونية",
    "نور",
    "زينب",
    "أمل",
    "التازي",
    "بن علي",
    "عائشة",
]
CITIES = ["Fès", "Zagora", "Tinghir", "Salé", "Safi"]
CRAFTS = ["Tisserand", "Potier", "Dinandier", "Tapis noué main", "Zellige"]
TASHKEEL = ["\u064e", "\u064f", "\u0650", "\u0651", "\u0652"]


@pytest.fixture
def registry(session: Session) -> list[Artisan]:
    """60 artisans over two chambres, their names drawn from small lists so that words
    repeat and share parts, as real names do."""
    bodies = list(session.exec(select(Body).where(col(Body.code).like("CHAMBRE-MA-0%"))))[:2]
    rng = random.Random(7)
    rows = []
    for number in range(60):
        body = bodies[number % 2]
        assert body.id is not None and body.region_code is not None
        picks = rng.sample(range(len(LATIN)), 2)
        row = Artisan(
            public_id=f"T{number:09d}",
            nia=f"NIA-{body.region_code[-2:]}-{number:06d}",
            kind="artisan",
            display_name_latin=" ".join(LATIN[index] for index in picks),
            display_name_arabic=" ".join(ARABIC[index] for index in picks),
            region_code=body.region_code,
            filiere_code="F01",
            metier=rng.choice(CRAFTS),
            city=rng.choice(CITIES),
            body_id=body.id,
        )
        session.add(row)
        rows.append(row)
    session.commit()
    return rows


def _matches(key: str, words: list[str]) -> bool:
    padded = " " + key
    return all((word in key) if len(word) >= 3 else (" " + word in padded) for word in words)


def _search_all(session: Session, principal: Principal, query: str) -> list[int]:
    found: list[int] = []
    cursor = None
    for _ in range(40):
        page = search_artisans(
            session=session, principal=principal, query=query, limit=7, cursor=cursor
        )
        session.rollback()
        found.extend(row.id for row in page.items if row.id is not None)
        cursor = page.next_cursor
        if cursor is None:
            return found
    raise AssertionError("more pages than artisans")


def _disguise(text: str, data: st.DataObject) -> str:
    """The same text as a user might type it: other case, accents or tashkeel added."""
    out = []
    for char in text:
        if char.isascii() and char.isalpha() and data.draw(st.booleans()):
            char = char.swapcase()
        out.append(char)
        if "\u0621" <= char <= "\u064a" and data.draw(st.booleans()):
            out.append(data.draw(st.sampled_from(TASHKEEL)))
    return unicodedata.normalize(data.draw(st.sampled_from(["NFC", "NFD"])), "".join(out))


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_a_search_finds_exactly_what_the_rule_says(
    session: Session, registry: list[Artisan], data: st.DataObject
) -> None:
    body_id = registry[0].body_id
    principal = Principal(
        user_id=0, role=Role.INSPECTOR, body_id=body_id, artisan_id=None, token_id=0
    )
    source = data.draw(st.sampled_from(registry))
    fields = [
        source.display_name_latin,
        source.display_name_arabic,
        source.nia,
        source.city,
        source.metier,
        source.public_id,
    ]
    pieces = []
    for _ in range(data.draw(st.integers(min_value=1, max_value=2))):
        word = data.draw(st.sampled_from(data.draw(st.sampled_from(fields)).split()))
        start = data.draw(st.integers(min_value=0, max_value=len(word) - 1))
        end = data.draw(st.integers(min_value=start + 1, max_value=len(word)))
        pieces.append(_disguise(word[start:end], data))
    query = " ".join(pieces)
    words = normalise(query).split()
    if not words:
        return
    expected = sorted(
        row.id
        for row in registry
        if row.body_id == body_id and row.id is not None and _matches(row.search_key, words)
    )

    assert _search_all(session, principal, query) == expected
