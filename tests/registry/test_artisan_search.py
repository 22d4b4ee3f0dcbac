"""GET /api/v1/artisans/search and ``search_artisans``: what a search finds, for whom, and
how its keyset pages hold while artisans are registered between them."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from core.auth import Principal
from labeling.registry.search import SearchCursorInvalid, SearchQueryInvalid, search_artisans
from schemas.registry import Artisan
from tests.fixtures.actors import Actor
from tests.registry.forms import artisan_form, slug

SEARCH = "/api/v1/artisans/search"

# Four artisans of the Drâa-Tafilalet chambre (MA-08), registered through the API.
PEOPLE: list[dict[str, Any]] = [
    artisan_form(
        nia="NIA-08-100001",
        kind="artisan",
        display_name_latin="Fatima Zahra Aït Lahcen",
        display_name_arabic="فاطمة الزهراء آيت لحسن",
        city="Ouarzazate",
        metier="Tisserand",
    ),
    artisan_form(
        nia="NIA-08-100002",
        kind="maalem",
        display_name_latin="Maâlem Brahim Ouhammou",
        display_name_arabic="المعلم إبراهيم أوحمو",
        city="Errachidia",
        metier="Dinandier",
        filiere_code="F07",
    ),
    artisan_form(
        nia="NIA-08-200003",
        kind="cooperative",
        display_name_latin="Coopérative Nour Tinghir",
        display_name_arabic="تعاونية نور تنغير",
        city="Tinghir",
        metier="Tapis noué main",
    ),
    artisan_form(
        nia="NIA-08-200004",
        kind="artisan",
        display_name_latin="Khalifa Benali",
        display_name_arabic="خليفة بن علي",
        city="Zagora",
        metier="Potier",
        filiere_code="F04",
    ),
]


@pytest.fixture
def people(
    client: TestClient, inspector: Actor, monkeypatch: pytest.MonkeyPatch
) -> list[dict[str, Any]]:
    # Registry ids are random, and a search matches them too: "nia-08-2" would also find an
    # artisan whose id happens to start with a 2 (one in 32). Letters-first ids keep the
    # cases below about what they name.
    ids = iter(f"KH{n:02d}TMSRCH" for n in range(1, 100))
    monkeypatch.setattr("labeling.registry.artisans.new_public_id", lambda: next(ids))
    created = []
    for form in PEOPLE:
        response = client.post("/api/v1/artisans", json=form, headers=inspector.headers)
        assert response.status_code == 201, response.text
        created.append(response.json())
    return created


def _names(client: TestClient, actor: Actor, q: str, **params: Any) -> list[str]:
    response = client.get(SEARCH, params={"q": q, **params}, headers=actor.headers)
    assert response.status_code == 200, response.text
    return [item["display_name_latin"] for item in response.json()["items"]]


# One registry per backend for all these cases (registering through the API is the slow part).
LATIN_CASES: list[tuple[str, list[str]]] = [
    ("fati", ["Fatima Zahra Aït Lahcen"]),  # a Latin name prefix
    ("FATI", ["Fatima Zahra Aït Lahcen"]),  # whatever the case
    ("ait", ["Fatima Zahra Aït Lahcen"]),  # whatever the accents
    ("hamm", ["Maâlem Brahim Ouhammou"]),  # a part of a name
    ("maalem", ["Maâlem Brahim Ouhammou"]),
    ("brahim ouh", ["Maâlem Brahim Ouhammou"]),  # every word must match
    ("brahim tinghir", []),
    ("fa", ["Fatima Zahra Aït Lahcen"]),  # a short word starts a word: not "Khalifa"
    ("ifa", ["Khalifa Benali"]),  # a longer one matches inside a word
    ("NIA-08-100002", ["Maâlem Brahim Ouhammou"]),  # a NIA, exactly
    ("nia-08-2", ["Coopérative Nour Tinghir", "Khalifa Benali"]),  # a NIA prefix
    ("zagora", ["Khalifa Benali"]),  # a city
    ("ERRACHIDIA", ["Maâlem Brahim Ouhammou"]),
    ("tisserand", ["Fatima Zahra Aït Lahcen"]),  # a craft
    ("noue", ["Coopérative Nour Tinghir"]),
    ("pot", ["Khalifa Benali"]),
]


def test_a_search_finds_by_latin_name_nia_city_and_craft(
    client: TestClient, inspector: Actor, people: list[dict[str, Any]]
) -> None:
    for q, expected in LATIN_CASES:
        assert _names(client, inspector, q) == expected, q


ARABIC_CASES: list[tuple[str, str]] = [
    ("فاطمة", "Fatima Zahra Aït Lahcen"),
    ("فَاطِمَة", "Fatima Zahra Aït Lahcen"),  # with tashkeel
    ("فاطمه", "Fatima Zahra Aït Lahcen"),  # teh marbuta typed as heh
    ("ايت", "Fatima Zahra Aït Lahcen"),  # alef madda typed as a bare alef
    ("ابراهيم", "Maâlem Brahim Ouhammou"),  # hamza below left out
    ("إِبْرَاهِيم", "Maâlem Brahim Ouhammou"),  # and typed with it, and with diacritics
    ("اوحمو", "Maâlem Brahim Ouhammou"),
    ("حمو", "Maâlem Brahim Ouhammou"),  # a part of a name
    ("تن", "Coopérative Nour Tinghir"),  # a word start
    ("بن علي", "Khalifa Benali"),
]


def test_a_search_finds_by_arabic_name_with_or_without_diacritics(
    client: TestClient, inspector: Actor, people: list[dict[str, Any]]
) -> None:
    for q, expected in ARABIC_CASES:
        assert _names(client, inspector, q) == [expected], q


def test_a_search_finds_by_registry_id(
    client: TestClient, admin: Actor, people: list[dict[str, Any]]
) -> None:
    public_id = people[2]["public_id"]
    assert _names(client, admin, public_id) == ["Coopérative Nour Tinghir"]
    assert _names(client, admin, public_id.lower()[:6]) == ["Coopérative Nour Tinghir"]


def test_another_bodys_artisans_never_appear(
    client: TestClient,
    inspector: Actor,
    madmoun_inspector: Actor,
    other_admin: Actor,
    people: list[dict[str, Any]],
    potter: Actor,
) -> None:
    # The Marrakech-Safi potter is found by its own body ...
    assert _names(client, other_admin, "serghini") == ["Maâlem Abdelkader Serghini"]
    assert _names(client, madmoun_inspector, "potier") == ["Maâlem Abdelkader Serghini"]
    # ... and never by the Drâa-Tafilalet chambre, whose own potter is found instead.
    assert _names(client, inspector, "serghini") == []
    assert _names(client, inspector, "potier") == ["Khalifa Benali"]
    # The other way round: nothing of MA-08 reaches the Marrakech-Safi staff.
    for q in ("fatima", "NIA-08", "tinghir", "ou"):
        assert _names(client, other_admin, q) == []
        assert _names(client, madmoun_inspector, q) == []


def test_artisans_cannot_search(client: TestClient, artisan_user: Actor) -> None:
    response = client.get(SEARCH, params={"q": "fatima"}, headers=artisan_user.headers)
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"


def test_an_update_is_found_under_its_new_name(
    client: TestClient, admin: Actor, people: list[dict[str, Any]]
) -> None:
    artisan_id = people[3]["id"]
    response = client.patch(
        f"/api/v1/artisans/{artisan_id}",
        json={"display_name_latin": "Khalifa Idrissi", "city": "Merzouga"},
        headers=admin.headers,
    )
    assert response.status_code == 200, response.text
    assert _names(client, admin, "idrissi merzouga") == ["Khalifa Idrissi"]
    assert _names(client, admin, "benali") == []
    assert _names(client, admin, "zagora") == []
    assert _names(client, admin, "بن علي") == ["Khalifa Idrissi"]


# --- Keyset pages ------------------------------------------------------------------------


def _register(client: TestClient, actor: Actor, number: int, name: str) -> None:
    form = artisan_form(
        nia=f"NIA-08-7{number:05d}",
        display_name_latin=f"{name} {number}",
        display_name_arabic="تعاونية الأمل",
    )
    response = client.post("/api/v1/artisans", json=form, headers=actor.headers)
    assert response.status_code == 201, response.text


def test_pages_return_every_match_once_while_artisans_are_registered_between_them(
    client: TestClient, inspector: Actor
) -> None:
    for number in range(11):
        _register(client, inspector, number, "Coopérative Amal")
        _register(client, inspector, 100 + number, "Atelier Ziyad")  # matches no "amal"

    seen: list[str] = []
    cursor: str | None = None
    registered_later = 0
    for _ in range(20):
        params: dict[str, Any] = {"q": "amal", "limit": 4}
        if cursor is not None:
            params["cursor"] = cursor
        response = client.get(SEARCH, params=params, headers=inspector.headers)
        assert response.status_code == 200, response.text
        page = response.json()
        assert len(page["items"]) <= 4
        seen.extend(item["display_name_latin"] for item in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
        # Between pages, more matches (and non-matches) are registered.
        if registered_later < 3:
            _register(client, inspector, 50 + registered_later, "Coopérative Amal")
            _register(client, inspector, 150 + registered_later, "Atelier Ziyad")
            registered_later += 1
    assert cursor is None
    expected = [f"Coopérative Amal {n}" for n in [*range(11), *range(50, 53)]]
    assert sorted(seen) == sorted(expected)
    assert len(seen) == len(set(seen))


def test_the_last_page_has_no_cursor(
    client: TestClient, inspector: Actor, people: list[dict[str, Any]]
) -> None:
    response = client.get(SEARCH, params={"q": "nia", "limit": 4}, headers=inspector.headers)
    assert response.status_code == 200
    assert len(response.json()["items"]) == 4
    assert response.json()["next_cursor"] is None


# --- Bad requests ------------------------------------------------------------------------


BAD_REQUESTS: list[tuple[dict[str, Any], str]] = [
    ({}, "validation-error"),  # no q
    ({"q": ""}, "validation-error"),
    ({"q": "x" * 101}, "validation-error"),
    ({"q": "-- !! ''"}, "search-query-invalid"),  # nothing to search for once folded
    ({"q": "fatima", "limit": 0}, "validation-error"),
    ({"q": "fatima", "limit": 101}, "validation-error"),
    ({"q": "fatima", "cursor": "not a cursor"}, "validation-error"),
    ({"q": "fatima", "cursor": "Zm9v"}, "search-cursor-invalid"),  # base64 of "foo"
    # "a1:99999999999", an id past any integer column
    ({"q": "fatima", "cursor": "YTE6OTk5OTk5OTk5OTk"}, "search-cursor-invalid"),
]


def test_a_bad_search_is_a_422_problem(client: TestClient, inspector: Actor) -> None:
    for params, expected in BAD_REQUESTS:
        response = client.get(SEARCH, params=params, headers=inspector.headers)
        assert response.status_code == 422, (params, response.text)
        assert slug(response) == expected, params


# --- The service, as the workspace pages call it -----------------------------------------


def _principal(actor: Actor) -> Principal:
    return Principal(
        user_id=actor.id,
        role=actor.role,
        body_id=actor.body_id,
        artisan_id=actor.artisan_id,
        token_id=0,
    )


def test_the_service_lists_the_whole_body_without_a_query(
    session: Session, admin: Actor, artisan: Actor, other_artisan: Actor, potter: Actor
) -> None:
    page = search_artisans(
        session=session, principal=_principal(admin), query=None, limit=1, cursor=None
    )
    assert [row.id for row in page.items] == [artisan.artisan_id]
    assert page.next_cursor is not None
    page = search_artisans(
        session=session,
        principal=_principal(admin),
        query=None,
        limit=5,
        cursor=page.next_cursor,
    )
    assert [row.id for row in page.items] == [other_artisan.artisan_id]
    assert page.next_cursor is None
    assert all(isinstance(row, Artisan) for row in page.items)


def test_the_service_refuses_an_empty_query_and_a_forged_cursor(
    session: Session, inspector: Actor
) -> None:
    with pytest.raises(SearchQueryInvalid):
        search_artisans(
            session=session, principal=_principal(inspector), query=" ; ", limit=5, cursor=None
        )
    with pytest.raises(SearchCursorInvalid):
        search_artisans(
            session=session, principal=_principal(inspector), query="a", limit=5, cursor="!!"
        )


def test_the_fixture_artisans_carry_their_search_key(session: Session, artisan: Actor) -> None:
    row = session.get(Artisan, artisan.artisan_id)
    assert row is not None
    assert row.search_key == (
        "cooperative akhiam تعاونيه اخيام nia 08 000123 akhiam7taz taznakht tapis noue main"
    )
