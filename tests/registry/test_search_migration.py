"""Migration 0006: the search key of the artisans already registered is filled in, their
index built, and the revision goes down and up again on both backends."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import inspect, text
from sqlmodel import Session

from core.auth import Principal
from core.db import MIGRATIONS_DIR, engine_for, migrate, new_session
from labeling.registry.search import search_artisans
from tests.fixtures.actors import Actor


def _downgrade(url: str, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine_for(url)
    command.downgrade(config, revision)


def _principal(actor: Actor) -> Principal:
    return Principal(
        user_id=actor.id, role=actor.role, body_id=actor.body_id, artisan_id=None, token_id=0
    )


def test_existing_artisans_are_found_after_the_upgrade(
    db_url: str, session: Session, admin: Actor, artisan: Actor, other_artisan: Actor
) -> None:
    session.close()
    _downgrade(db_url, "0005")
    engine = engine_for(db_url)
    columns = {column["name"] for column in inspect(engine).get_columns("artisan")}
    assert "search_key" not in columns
    assert "artisan_search" not in inspect(engine).get_table_names()
    engine.dispose()
    # An artisan written while the registry ran the previous revision.
    with engine.begin() as connection:
        connection.execute(
            text(
                "UPDATE artisan SET display_name_latin = 'Fatima Aït Ali Ouchen' "
                "WHERE nia = 'NIA-08-000456'"
            )
        )

    migrate(db_url)

    with new_session(db_url) as fresh:
        keys = dict(fresh.execute(text("SELECT nia, search_key FROM artisan")).all())
        assert keys["NIA-08-000456"].startswith("fatima ait ali ouchen فاطمه ايت علي")
        for query, found in (("ouchen", [other_artisan]), ("اخيام", [artisan]), ("nia", None)):
            page = search_artisans(
                session=fresh, principal=_principal(admin), query=query, limit=10, cursor=None
            )
            expected = [artisan, other_artisan] if found is None else found
            assert [row.id for row in page.items] == [actor.artisan_id for actor in expected]
        fresh.rollback()


def test_the_planner_sees_words_down_to_a_thousandth_of_the_registry(db_url: str) -> None:
    """With the default 100-bucket histogram, a word held by 1 % of the artisans is often
    estimated at 0.01 % and answered by fetching every match of every body (PostgreSQL)."""
    engine = engine_for(db_url)
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            tables = {row[0] for row in connection.execute(text("SELECT name FROM sqlite_master"))}
            assert {"artisan_search", "artisan_search_insert", "artisan_search_update"} <= tables
        else:
            target = connection.execute(
                text(
                    "SELECT attstattarget FROM pg_attribute "
                    "WHERE attrelid = 'ix_artisan_search_key_trgm'::regclass AND attnum = 1"
                )
            ).scalar_one()
            assert target == 1000
        connection.rollback()
