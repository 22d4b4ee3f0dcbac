"""keys and transparency log

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 13:38:44.865374

* ``signing_key``: label keys and the root key (``purpose``), public halves only.
* ``log_entry``: one row per leaf; on SQLite ``leaf_index`` is the rowid itself.
* ``log_node``: one row per completed perfect subtree of level >= 3 (a clustered
  ``WITHOUT ROWID`` table on SQLite).
* ``log_checkpoint``: signed checkpoints.

The three log tables are append-only (triggers refuse UPDATE, DELETE and TRUNCATE).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401
from alembic import op

from core.migrations.append_only import drop_append_only, make_append_only

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table("log_checkpoint",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("tree_size", sa.BigInteger(), nullable=False),
    sa.Column("root_hash", sa.LargeBinary(length=32), nullable=False),
    sa.Column("note", sa.Text(), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint("id")
    )
    with op.batch_alter_table("log_checkpoint", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_log_checkpoint_tree_size"), ["tree_size"], unique=False)

    op.create_table("log_entry",
    sa.Column("leaf_index", sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
              autoincrement=False, nullable=False),
    sa.Column("event_type", sa.String(length=40), nullable=False),
    sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("payload", sa.Text(), nullable=False),
    sa.Column("leaf_hash", sa.LargeBinary(length=32), nullable=False),
    sa.PrimaryKeyConstraint("leaf_index")
    )
    with op.batch_alter_table("log_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_log_entry_leaf_hash"), ["leaf_hash"], unique=False)

    op.create_table("log_node",
    sa.Column("level", sa.SmallInteger(), autoincrement=False, nullable=False),
    sa.Column("idx", sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column("hash", sa.LargeBinary(length=32), nullable=False),
    sa.PrimaryKeyConstraint("level", "idx"),
    sqlite_with_rowid=False,
    )
    op.create_table("signing_key",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("kid", sa.String(length=8), nullable=False),
    sa.Column("purpose", sa.String(length=8), nullable=False),
    sa.Column("algorithm", sa.String(length=16), nullable=False),
    sa.Column("public_key", sa.LargeBinary(length=32), nullable=False),
    sa.Column("backend", sa.String(length=16), nullable=False),
    sa.Column("key_uri", sa.String(length=500), nullable=False),
    sa.Column("is_development", sa.Boolean(), nullable=False),
    sa.Column("not_before", sa.DateTime(timezone=True), nullable=False),
    sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("compromised_since", sa.DateTime(timezone=True), nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint("id"),
    sa.UniqueConstraint("kid")
    )
    with op.batch_alter_table("signing_key", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_signing_key_purpose"), ["purpose"], unique=False)
    make_append_only("log_entry", "log_node", "log_checkpoint")


def downgrade() -> None:
    drop_append_only("log_entry", "log_node", "log_checkpoint")
    with op.batch_alter_table("signing_key", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_signing_key_purpose"))
    op.drop_table("signing_key")
    op.drop_table("log_node")
    with op.batch_alter_table("log_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_log_entry_leaf_hash"))

    op.drop_table("log_entry")
    with op.batch_alter_table("log_checkpoint", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_log_checkpoint_tree_size"))

    op.drop_table("log_checkpoint")
