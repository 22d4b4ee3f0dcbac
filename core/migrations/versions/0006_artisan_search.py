"""artisan search: a folded search key and the index that answers it

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 12:00:00

Finding an artisan among the registry's ~420,000 must stay instant (issue 14): by a part of
a name in Latin or Arabic script, a NIA, a registry id, a city or a craft, whatever the case,
accents, Arabic diacritics or hamza spelling. ``artisan.search_key`` holds those fields
folded by ``schemas.search_key.normalise`` (the table model refreshes it on every insert and
update); this revision adds it, fills it for the rows already there, and indexes it:

* PostgreSQL: ``pg_trgm`` and a GIN trigram index on ``' ' || search_key`` (the leading space
  makes "starts a word" a plain ``LIKE '% fa%'`` for the first word too), which answers
  ``LIKE '%part%'`` without reading the table, with a 1,000-bucket statistics target so that
  the planner tells a rare word from a common one;
* SQLite: an FTS5 table with the trigram tokenizer (SQLite >= 3.34), contentless, whose
  rowid is the artisan's id, fed by triggers on ``artisan``; each word is indexed behind a
  ``^^`` marker so that a one- or two-letter word start is a trigram too.

Both keep the index in the database, so a bulk load or a row written by any code is found.
A later migration that rebuilds ``artisan`` on SQLite (``batch_alter_table`` copies the
table) drops its triggers: it must create them again (:func:`create_sqlite_triggers`).

``ix_artisan_body_id_id`` serves the keyset pages of one body's artisans in id order; on
PostgreSQL it also carries ``search_key``, so that for a common word (most of a body's
artisans match) the planner walks it in id order, testing the key in the index, and stops
at the page's end: the trigram index answers the rare words, this walk the common ones.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from schemas.search_key import artisan_search_key

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SQLITE_WORDS = "'^^' || replace({row}.search_key, ' ', ' ^^')"
_SQLITE_TRIGGERS = {
    "artisan_search_insert": (
        "AFTER INSERT ON artisan BEGIN "
        "INSERT INTO artisan_search (rowid, words) VALUES (new.id, {new}); END"
    ),
    "artisan_search_delete": (
        "AFTER DELETE ON artisan BEGIN "
        "INSERT INTO artisan_search (artisan_search, rowid, words) "
        "VALUES ('delete', old.id, {old}); END"
    ),
    "artisan_search_update": (
        "AFTER UPDATE OF search_key ON artisan BEGIN "
        "INSERT INTO artisan_search (artisan_search, rowid, words) "
        "VALUES ('delete', old.id, {old}); "
        "INSERT INTO artisan_search (rowid, words) VALUES (new.id, {new}); END"
    ),
}


def create_sqlite_triggers() -> None:
    new, old = _SQLITE_WORDS.format(row="new"), _SQLITE_WORDS.format(row="old")
    for name, body in _SQLITE_TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body.format(new=new, old=old)}")


def _backfill() -> None:
    connection = op.get_bind()
    artisan = sa.table(
        "artisan",
        sa.column("id", sa.Integer),
        sa.column("display_name_latin", sa.String),
        sa.column("display_name_arabic", sa.String),
        sa.column("nia", sa.String),
        sa.column("public_id", sa.String),
        sa.column("city", sa.String),
        sa.column("metier", sa.String),
        sa.column("search_key", sa.Text),
    )
    rows = connection.execute(
        sa.select(
            artisan.c.id,
            artisan.c.display_name_latin,
            artisan.c.display_name_arabic,
            artisan.c.nia,
            artisan.c.public_id,
            artisan.c.city,
            artisan.c.metier,
        ).order_by(artisan.c.id)
    ).all()
    updates = [
        {
            "row_id": row.id,
            "key": artisan_search_key(
                display_name_latin=row.display_name_latin,
                display_name_arabic=row.display_name_arabic,
                nia=row.nia,
                public_id=row.public_id,
                city=row.city,
                metier=row.metier,
            ),
        }
        for row in rows
    ]
    if updates:
        connection.execute(
            artisan.update()
            .where(artisan.c.id == sa.bindparam("row_id"))
            .values(search_key=sa.bindparam("key")),
            updates,
        )


def upgrade() -> None:
    op.add_column("artisan", sa.Column("search_key", sa.Text(), nullable=False, server_default=""))
    _backfill()
    # On PostgreSQL the index carries the key, so that a walk of one body's artisans in id
    # order tests the key without visiting the table (an index-only scan).
    op.create_index(
        "ix_artisan_body_id_id", "artisan", ["body_id", "id"], postgresql_include=["search_key"]
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute(
            "CREATE INDEX ix_artisan_search_key_trgm ON artisan "
            "USING gin ((' ' || search_key) gin_trgm_ops)"
        )
        # The planner estimates how many artisans a LIKE pattern matches from a sample
        # histogram of the key. With the default 100 buckets a word held by 1 % of the
        # registry is often seen in none and estimated at 0.01 %: the trigram bitmap is
        # chosen and fetches thousands of rows across all bodies instead of walking a few
        # hundred index entries of one body. 1,000 buckets see words down to 0.1 %.
        op.execute("ALTER INDEX ix_artisan_search_key_trgm ALTER COLUMN 1 SET STATISTICS 1000")
        return
    op.execute(
        "CREATE VIRTUAL TABLE artisan_search USING fts5(words, content='', tokenize='trigram')"
    )
    op.execute(
        "INSERT INTO artisan_search (rowid, words) "
        f"SELECT id, {_SQLITE_WORDS.format(row='artisan')} FROM artisan"
    )
    create_sqlite_triggers()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_artisan_search_key_trgm")
    else:
        for name in _SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS artisan_search")
    op.drop_index("ix_artisan_body_id_id", table_name="artisan")
    if op.get_bind().dialect.name == "postgresql":
        op.drop_column("artisan", "search_key")
    else:
        # SQLite >= 3.35 drops a column in place; a batch copy of the table would have to
        # drop ``artisan`` itself, which the foreign keys pointing at it forbid.
        op.execute("ALTER TABLE artisan DROP COLUMN search_key")
