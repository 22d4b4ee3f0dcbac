"""Pages: the hard maximum, the offsets and ``next_offset``, as properties."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.settings import Settings
from schemas.registry_api import Page
from tests.fixtures.actors import Actor
from tests.registry.forms import artisan_form, slug

MAX_PAGE = 5
REGISTERED = 7


@given(
    total=st.integers(min_value=0, max_value=10_000),
    limit=st.integers(min_value=1, max_value=500),
    offset=st.integers(min_value=0, max_value=20_000),
)
def test_next_offset_points_past_this_page_until_the_end(
    total: int, limit: int, offset: int
) -> None:
    shown = max(0, min(limit, total - offset))
    page = Page[int].of(list(range(shown)), total=total, limit=limit, offset=offset)
    if offset + limit < total:
        assert page.next_offset == offset + limit
    else:
        assert page.next_offset is None


@pytest.fixture
def small_pages(db_url: str, tmp_path: Path) -> Iterator[TestClient]:
    """The app with a hard maximum of 5 items a page."""
    from main import create_app

    app = create_app(
        Settings(
            environment="test",
            database_url=db_url,
            data_dir=tmp_path / "data",
            max_page_size=MAX_PAGE,
            default_page_size=3,
        )
    )
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def seven_artisans(small_pages: TestClient, inspector: Actor) -> list[int]:
    ids = []
    for number in range(REGISTERED):
        form = artisan_form(nia=f"NIA-08-8{number:05d}")
        response = small_pages.post("/api/v1/artisans", json=form, headers=inspector.headers)
        assert response.status_code == 201, response.text
        ids.append(response.json()["id"])
    return ids


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(limit=st.integers(min_value=1, max_value=MAX_PAGE), offset=st.integers(0, REGISTERED + 3))
def test_pages_slice_the_list_in_order(
    small_pages: TestClient, inspector: Actor, seven_artisans: list[int], limit: int, offset: int
) -> None:
    response = small_pages.get(
        "/api/v1/artisans", params={"limit": limit, "offset": offset}, headers=inspector.headers
    )

    assert response.status_code == 200, response.text
    page = response.json()
    assert [item["id"] for item in page["items"]] == seven_artisans[offset : offset + limit]
    assert page["total"] == REGISTERED
    assert page["next_offset"] == (offset + limit if offset + limit < REGISTERED else None)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    limit=st.integers(min_value=MAX_PAGE + 1, max_value=2**31 - 1)
    | st.integers(min_value=2**31, max_value=10**30)
    | st.integers(max_value=0)
)
def test_a_page_size_outside_the_bounds_is_refused(
    small_pages: TestClient, admin: Actor, limit: int
) -> None:
    for url in ("/api/v1/artisans", "/api/v1/inspectors", "/api/v1/bodies"):
        response = small_pages.get(url, params={"limit": limit}, headers=admin.headers)
        assert response.status_code == 422, response.text
        in_schema = 1 <= limit <= 2**31 - 1  # the schema's bound; the configured one is tighter
        expected = "page-size-too-large" if in_schema else "validation-error"
        assert slug(response) == expected


def test_walking_next_offset_visits_every_artisan_once(
    small_pages: TestClient, inspector: Actor, seven_artisans: list[int]
) -> None:
    seen: list[int] = []
    params: dict[str, Any] = {}
    while True:
        page = small_pages.get("/api/v1/artisans", params=params, headers=inspector.headers).json()
        assert len(page["items"]) <= 3  # the default page size
        seen += [item["id"] for item in page["items"]]
        if page["next_offset"] is None:
            break
        params = {"offset": page["next_offset"]}
    assert seen == seven_artisans


def test_offsets_are_bounded(small_pages: TestClient) -> None:
    response = small_pages.get("/api/v1/bodies", params={"offset": 2**63})
    assert response.status_code == 422
    assert small_pages.get("/api/v1/bodies", params={"offset": -1}).status_code == 422
