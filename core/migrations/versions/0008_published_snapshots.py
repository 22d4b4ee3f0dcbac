"""published snapshots: the signed status snapshots every server serves

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 10:00:00

Each server process signed its own status snapshots, with its own ``issued_at``, so servers
behind one load balancer served different bytes (and ETags) for the same state and each of
them read every listed label to build them. The snapshot a server signs is now kept here,
one row per kind; a server that needs a new one locks its kind's row, and the others wait
for it and serve the same bytes (docs/deployment.md).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    table = op.create_table(
        "published_snapshot",
        sa.Column("kind", sa.String(length=20), primary_key=True),
        sa.Column("kid", sa.String(length=8), nullable=True),
        sa.Column("fingerprint", sa.String(length=200), nullable=True),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("body", sa.LargeBinary(), nullable=True),
    )
    # One row per kind from the start: a builder locks it (SELECT … FOR UPDATE).
    op.bulk_insert(table, [{"kind": "labels"}, {"kind": "certificates"}])


def downgrade() -> None:
    op.drop_table("published_snapshot")
