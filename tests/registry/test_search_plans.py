"""Each search is planned for its own words.

psycopg prepares a statement it has run five times, and PostgreSQL may then run it with a
generic plan, made without the parameters' values: for a ``LIKE`` pattern it cannot tell a
rare word (the trigram index answers) from a common one (walk the body's ids and stop at the
page's end), and walks a whole body's index for a word it does not hold. The search therefore
writes its patterns into the SQL text. On SQLite the FTS5 table always drives.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlmodel import Session

from core.auth import Principal
from labeling.registry.search import search_artisans
from schemas.types import Role
from tests.fixtures.actors import Actor


def test_the_words_are_in_the_statement_each_search_runs(
    db_url: str, session: Session, admin: Actor, artisan: Actor
) -> None:
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(str(args[2]))

    engine = session.get_bind()  # the engine this session runs on, whatever the cache holds
    event.listen(engine, "before_cursor_execute", record)
    principal = Principal(
        user_id=admin.id, role=Role.ADMIN, body_id=admin.body_id, artisan_id=None, token_id=0
    )
    try:
        for query in ["akhiam"] * 6 + ["taznakht", "zq"]:
            page = search_artisans(
                session=session, principal=principal, query=query, limit=5, cursor=None
            )
            session.rollback()
            assert [row.id for row in page.items] == ([] if query == "zq" else [artisan.artisan_id])
    finally:
        event.remove(engine, "before_cursor_execute", record)

    searches = [sql for sql in statements if " LIKE " in sql or " MATCH " in sql]
    assert len(searches) == 8
    if engine.dialect.name == "sqlite":
        assert all("artisan_search MATCH" in sql for sql in searches)
    else:
        assert "LIKE '%%akhiam%%'" in searches[0]
        assert "LIKE '%%taznakht%%'" in searches[6]
        assert "LIKE '%% zq%%'" in searches[7]
