"""The search normaliser (schemas.search_key) and the search's query words and cursors:
examples, then properties (hypothesis)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from labeling.registry.search import (
    SearchCursorInvalid,
    SearchQueryInvalid,
    decode_cursor,
    encode_cursor,
    query_words,
)
from schemas.search_key import artisan_search_key, normalise

TASHKEEL = [chr(code) for code in range(0x064B, 0x0653)] + ["\u0670"]  # harakat, shadda, sukun
ARABIC_LETTERS = "ابتثجحخدذرسشصضطظعغفقكلمنهويةىأإآؤئء"
LATIN_ACCENTS = ["\u0300", "\u0301", "\u0302", "\u0308", "\u0327"]  # grave … cedilla


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Coopérative Akhiam", "cooperative akhiam"),
        ("MAÂLEM Abdelkader SERGHINI", "maalem abdelkader serghini"),
        ("Aït Ba'amrane", "ait baamrane"),
        ("Aït Ba’amrane", "ait baamrane"),  # a typographic apostrophe too
        ("Fès-Meknès", "fes meknes"),
        ("Œuvre", "oeuvre"),
        ("NIA-08-000123", "nia 08 000123"),
        ("  Tapis   noué\tmain ", "tapis noue main"),
        ("فَاطِمَة الزَّهْرَاء", "فاطمه الزهرا"),  # tashkeel, final hamza gone; ة -> ه
        ("إِبْرَاهِيم", "ابراهيم"),  # hamza below
        ("أحمد", "احمد"),  # hamza above
        ("آيت علي", "ايت علي"),  # madda
        ("مصطفى", "مصطفي"),  # alef maksura -> yeh
        ("عائشة", "عايشه"),  # yeh with hamza
        ("مؤمن", "مومن"),  # waw with hamza
        ("سماء", "سما"),  # a standalone hamza vanishes
        ("محـــمد", "محمد"),  # tatweel
        ("ﻓﺎﻃﻤﺔ", "فاطمه"),  # presentation forms
        ("٠٨-١٢٣", "08 123"),  # Arabic-Indic digits
        ("!!! -- ''", ""),
    ],
)
def test_examples(raw: str, folded: str) -> None:
    assert normalise(raw) == folded


def test_the_artisan_key_holds_every_searchable_field() -> None:
    key = artisan_search_key(
        display_name_latin="Fatima Aït Ali",
        display_name_arabic="فاطمة آيت علي",
        nia="NIA-08-000456",
        public_id="TIFAWT8ZAG",
        city="Zagora",
        metier="Tisserand",
    )
    assert key == "fatima ait ali فاطمه ايت علي nia 08 000456 tifawt8zag zagora tisserand"


# --- Properties --------------------------------------------------------------------------


@given(st.text())
@example("\u0130")  # LATIN CAPITAL LETTER I WITH DOT ABOVE: case folding adds a mark
@example("\ufdfa")  # an Arabic ligature whose decomposition is a whole phrase
def test_normalising_is_idempotent(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once


@given(st.text())
def test_the_result_is_words_of_letters_and_digits(text: str) -> None:
    folded = normalise(text)
    assert folded == folded.strip()
    assert "  " not in folded
    for word in folded.split(" "):
        for char in word:
            assert unicodedata.category(char)[0] in "LN", (text, folded, char)
            assert not unicodedata.category(char).startswith("M")
    assert folded == folded.casefold() or normalise(folded.casefold()) == folded


latin_text = st.text(
    alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x17F, categories=["L", "N", "Zs"])
)


@given(latin_text)
def test_case_does_not_matter(text: str) -> None:
    assert normalise(text.upper()) == normalise(text) == normalise(text.lower())


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", min_size=1), st.data())
def test_latin_accents_do_not_matter(text: str, data: st.DataObject) -> None:
    accented = "".join(
        char + (data.draw(st.sampled_from(LATIN_ACCENTS)) if char.isalpha() else "")
        for char in text
    )
    assert normalise(unicodedata.normalize("NFC", accented)) == normalise(text)
    assert normalise(accented) == normalise(text)


arabic_words = st.lists(
    st.text(alphabet=ARABIC_LETTERS, min_size=1, max_size=8), min_size=1, max_size=4
).map(" ".join)


@given(arabic_words, st.data())
def test_arabic_diacritics_do_not_matter(text: str, data: st.DataObject) -> None:
    marked = "".join(
        char + "".join(data.draw(st.lists(st.sampled_from(TASHKEEL), max_size=2))) for char in text
    )
    assert normalise(marked) == normalise(text)


FOLDED_TOGETHER = [("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ٱ", "ا"), ("ة", "ه"), ("ى", "ي")]


@given(arabic_words, st.sampled_from(FOLDED_TOGETHER))
def test_hamza_alef_and_teh_marbuta_spellings_meet(text: str, pair: tuple[str, str]) -> None:
    variant, plain = pair
    assert normalise(text.replace(plain, variant)) == normalise(text.replace(variant, plain))


@given(st.text(max_size=100))
def test_query_words_are_folded_or_refused(query: str) -> None:
    try:
        words = query_words(query)
    except SearchQueryInvalid:
        assert normalise(query) == ""
        return
    assert words
    assert set(words) <= set(normalise(query).split())
    assert len(words) == len(set(words))


def test_a_word_inside_a_longer_one_is_dropped_but_a_short_word_start_is_kept() -> None:
    assert query_words("hamm ouhammou") == ["ouhammou"]
    assert query_words("fa fatima") == ["fatima", "fa"]


def test_a_query_over_100_characters_is_refused() -> None:
    with pytest.raises(SearchQueryInvalid):
        query_words("a" * 101)


@given(st.integers(min_value=0, max_value=2**31 - 1))
def test_a_cursor_names_the_id_it_was_made_from(artisan_id: int) -> None:
    cursor = encode_cursor(artisan_id)
    assert cursor.isascii() and cursor.replace("-", "").replace("_", "").isalnum()
    assert decode_cursor(cursor) == artisan_id


@given(st.text(max_size=64))
@example("YTE6")  # "a1:" with no id
@example("YTE6LTE")  # "a1:-1"
@example("YTE6MTIzNDU2Nzg5MDE")  # "a1:12345678901": past any id
def test_any_other_cursor_is_refused_as_such(cursor: str) -> None:
    try:
        after = decode_cursor(cursor)
    except SearchCursorInvalid:
        return
    assert 0 <= after <= 2**31 - 1
