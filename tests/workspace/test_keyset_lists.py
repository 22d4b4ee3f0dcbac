"""The workspace's long lists page by keyset, newest first, on SQLite and PostgreSQL: the
inspector's audits (its own, an artisan's), the administrator's inspectors, the artisan's
certificates. Walking the "next page" links from the first page, then the "previous page"
links back, meets every row exactly once, in order, also when many rows share a moment."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from html import unescape
from pathlib import Path
from typing import Any, TypeVar

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlmodel import Session, select

from core.auth import Principal
from core.keyset import CursorInvalid, Keyset, KeysetSlice, encode_cursor
from core.settings import Settings
from labeling.audits import service as audits
from labeling.audits.repository import AuditFilters
from labeling.registry import service as registry
from schemas.accounts import UserAccount
from schemas.audits import Audit
from schemas.certificates import Certificate
from schemas.types import Role
from tests.audits.helpers import issue_certificate, record_audit
from tests.fixtures.actors import Actor, make_user
from tests.workspace.support import Browser, SessionMint

T = TypeVar("T")
PAGE = 2
BASE = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
_DAYS = itertools.count()
_NEXT = re.compile(r'<a rel="next" href="([^"]+)"')
_PREVIOUS = re.compile(r'<a rel="prev" href="([^"]+)"')


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return Settings(
        environment="test",
        database_url=db_url,
        data_dir=tmp_path / "data",
        login_lockout_seconds=60,
        workspace_page_size=PAGE,
    )


def _principal(actor: Actor) -> Principal:
    return Principal(
        user_id=actor.id,
        role=actor.role,
        body_id=actor.body_id,
        artisan_id=actor.artisan_id,
        token_id=0,
    )


def _walk(fetch: Callable[[str | None], KeysetSlice[T]]) -> tuple[list[list[T]], list[list[T]]]:
    """The pages met following next from the first page, then previous from the last."""
    forward = [fetch(None)]
    while forward[-1].next_cursor is not None:
        assert len(forward) < 100, "the walk does not end"
        forward.append(fetch(forward[-1].next_cursor))
    back = [forward[-1]]
    while back[-1].previous_cursor is not None:
        assert len(back) < 100, "the walk back does not end"
        back.append(fetch(back[-1].previous_cursor))
    return [page.items for page in forward], [page.items for page in reversed(back)]


def _clone_audits(
    session: Session, seed: int, moments: list[datetime], day: date | None = None
) -> None:
    template = session.get(Audit, seed)
    assert template is not None
    for moment in moments:
        session.add(
            Audit(
                inspector_id=template.inspector_id,
                body_id=template.body_id,
                artisan_id=template.artisan_id,
                scheme_id=template.scheme_id,
                audit_date=day or template.audit_date,
                submitted_at=moment,
                outcome=template.outcome,
                content_hash=template.content_hash,
            )
        )
    session.commit()


# --- the property, at the service, on both databases ----------------------------------------


@pytest.fixture
def seed_audit(client: TestClient, session: Session, inspector: Actor, artisan: Actor) -> int:
    """One audit recorded through the API, the model of the rows each example adds."""
    session.commit()
    audit_id: int = record_audit(client, inspector, artisan)["id"]
    return audit_id


@hypothesis_settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    seconds=st.lists(st.integers(min_value=0, max_value=3), max_size=11),
    size=st.integers(min_value=1, max_value=4),
)
def test_audit_pages_meet_every_row_once_in_order(
    session: Session,
    inspector: Actor,
    seed_audit: int,
    seconds: list[int],
    size: int,
) -> None:
    # Audits are append-only: each example writes its rows on a day of its own and reads
    # that day. Few distinct moments: most rows share theirs, and their id decides.
    day = date(2001, 1, 1) + timedelta(days=next(_DAYS))
    _clone_audits(session, seed_audit, [BASE + timedelta(seconds=s) for s in seconds], day)
    rows = session.exec(select(Audit).where(Audit.audit_date == day)).all()
    expected = [a.id for a in sorted(rows, key=lambda a: (a.submitted_at, a.id), reverse=True)]

    def fetch(cursor: str | None) -> KeysetSlice[Any]:
        return audits.audit_keyset_page(
            session=session,
            principal=_principal(inspector),
            filters=AuditFilters(inspector_id=inspector.id, date_from=day, date_to=day),
            keyset=Keyset.of(cursor, size),
        )

    forward, back = _walk(fetch)
    assert [a.id for page in forward for a in page] == expected
    assert all(len(page) == size for page in forward[:-1]) and len(forward[-1]) <= size
    assert [[a.id for a in page] for page in back] == [[a.id for a in page] for page in forward]


@hypothesis_settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    seconds=st.lists(st.integers(min_value=0, max_value=2), min_size=1, max_size=9),
    size=st.integers(min_value=1, max_value=3),
)
def test_inspector_pages_meet_every_row_once_in_order(
    session: Session, admin: Actor, seconds: list[int], size: int
) -> None:
    session.execute(
        text("DELETE FROM user_account WHERE role = 'inspector' AND email LIKE 'k%@keyset.test'")
    )
    for number, second in enumerate(seconds):
        session.add(
            UserAccount(
                email=f"k{number}@keyset.test",
                password_hash="x",
                role=Role.INSPECTOR.value,
                display_name=f"Inspecteur {number}",
                body_id=admin.body_id,
                created_at=BASE + timedelta(seconds=second),
            )
        )
    session.commit()
    rows = session.exec(
        select(UserAccount).where(
            UserAccount.role == Role.INSPECTOR.value, UserAccount.body_id == admin.body_id
        )
    ).all()
    expected = [u.id for u in sorted(rows, key=lambda u: (u.created_at, u.id), reverse=True)]

    def fetch(cursor: str | None) -> KeysetSlice[Any]:
        return registry.inspector_keyset_page(
            session=session, actor=_principal(admin), keyset=Keyset.of(cursor, size)
        )

    forward, back = _walk(fetch)
    assert [u.id for page in forward for u in page] == expected
    assert [[u.id for u in page] for page in back] == [[u.id for u in page] for page in forward]


# --- the pages: links a person follows -------------------------------------------------------


def _follow_pages(browser: Browser, url: str, item: re.Pattern[str]) -> list[list[str]]:
    """The items of each page met following "next page" from ``url``, then back."""
    pages, back, seen = [], [], url
    while len(pages) < 20:
        response = browser.get(seen)
        assert response.status_code == 200, (seen, response.text[:800])
        html = response.text
        pages.append(item.findall(html))
        following = _NEXT.search(html)
        if following is None:
            break
        seen = unescape(following.group(1))
    while len(back) < 20:
        back.append(item.findall(html))
        previous = _PREVIOUS.search(html)
        if previous is None:
            break
        response = browser.get(unescape(previous.group(1)))
        assert response.status_code == 200
        html = response.text
    assert list(reversed(back)) == pages
    return pages


def test_my_audits_and_an_artisans_audits_page_by_keyset(
    client: TestClient,
    session: Session,
    inspector: Actor,
    artisan: Actor,
    sessions: SessionMint,
) -> None:
    seed = record_audit(client, inspector, artisan)["id"]
    _clone_audits(session, seed, [BASE, BASE, BASE, BASE + timedelta(seconds=1)])
    browser = Browser(client, sessions(inspector))
    item = re.compile(r'href="/workspace/audits/(\d+)"')
    ids = sorted(((a.submitted_at, a.id) for a in session.exec(select(Audit)).all()), reverse=True)
    expected = [str(row_id) for _, row_id in ids]
    session.commit()  # the pages write (the session's last use): leave SQLite unlocked
    for url in ("/workspace/audits", f"/workspace/artisans/{artisan.artisan_id}/audits"):
        pages = _follow_pages(browser, url, item)
        assert [len(page) for page in pages] == [2, 2, 1]
        assert [row for page in pages for row in page] == expected
    artisan_page = browser.get(f"/workspace/artisans/{artisan.artisan_id}").text
    assert f'href="/workspace/artisans/{artisan.artisan_id}/audits"' not in artisan_page  # 5 < 20


def test_the_admins_inspectors_page_by_keyset(
    session: Session, client: TestClient, admin: Actor, inspector: Actor, sessions: SessionMint
) -> None:
    for number in range(4):
        make_user(
            session,
            email=f"inspecteur{number}@keyset.test",
            role=Role.INSPECTOR,
            body_id=admin.body_id,
        )
    for user in session.exec(select(UserAccount)).all():
        user.created_at = BASE  # all at one moment: the id alone orders them
        session.add(user)
    session.commit()
    browser = Browser(client, sessions(admin))
    item = re.compile(r'href="/workspace/inspectors/(\d+)"')
    pages = _follow_pages(browser, "/workspace/inspectors", item)
    expected = sorted(
        (
            str(u.id)
            for u in session.exec(
                select(UserAccount).where(UserAccount.role == Role.INSPECTOR.value)
            ).all()
        ),
        key=int,
        reverse=True,
    )
    assert [len(page) for page in pages] == [2, 2, 1]
    assert [row for page in pages for row in page] == expected


def test_the_artisans_certificates_page_by_keyset(
    client: TestClient,
    session: Session,
    inspector: Actor,
    artisan: Actor,
    artisan_user: Actor,
    sessions: SessionMint,
) -> None:
    issued = issue_certificate(client, inspector, artisan)
    template = session.get(Certificate, issued["id"])
    assert template is not None
    for number in range(3):
        session.add(
            Certificate(
                **template.model_dump(exclude={"id", "code", "created_at"}),
                code=template.code + 1 + number,
                created_at=template.created_at,
            )
        )
    session.commit()
    browser = Browser(client, sessions(artisan_user))
    item = re.compile(r'href="/workspace/my/certificates/(\d+)"')
    home = browser.get("/workspace").text
    assert len(set(item.findall(home))) == 2  # the first page, with its "next page" link
    assert _NEXT.search(home) is not None
    pages = _follow_pages(browser, "/workspace/my/certificates", item)
    certificates = session.exec(select(Certificate)).all()
    expected = [str(c.id) for c in sorted(certificates, key=lambda c: c.id or 0, reverse=True)]
    assert [len(page) for page in pages] == [2, 2]
    assert [row for page in pages for row in page] == expected


def test_a_cursor_not_issued_by_a_list_is_a_clear_page_not_an_error(
    client: TestClient, inspector: Actor, sessions: SessionMint
) -> None:
    browser = Browser(client, sessions(inspector))
    response = browser.get("/workspace/audits?cursor=bm9wZQ")
    assert response.status_code == 422
    assert "text/html" in response.headers["content-type"]
    assert "Ce lien de page n'est plus valable" in unescape(response.text)
    with pytest.raises(CursorInvalid):
        Keyset.of(encode_cursor((datetime(2026, 1, 1), 5)), 2)  # a moment without its zone
