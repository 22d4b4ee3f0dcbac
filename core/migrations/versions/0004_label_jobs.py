"""label batches as background jobs

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 02:00:00

A batch above ``KHATEM_LABEL_JOB_THRESHOLD`` labels is issued by a worker thread. The
database, not the process, says who is issuing it:

* ``lease_owner``: the process (host, pid, random tag) that holds the batch;
* ``lease_expires_at``: renewed while the owner signs; once it has passed, any server
  process may take the batch over (a crashed or killed owner never renews it);
* ``attempts``: how many times a worker took the batch; past the limit it is failed.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("label_batch") as batch:
        batch.add_column(sa.Column("lease_owner", sa.String(length=80), nullable=True))
        batch.add_column(sa.Column("lease_expires_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(
            sa.Column("attempts", sa.Integer(), nullable=False, server_default=sa.text("0"))
        )
    op.create_index("ix_label_batch_status", "label_batch", ["status"])


def downgrade() -> None:
    op.drop_index("ix_label_batch_status", table_name="label_batch")
    with op.batch_alter_table("label_batch") as batch:
        batch.drop_column("attempts")
        batch.drop_column("lease_expires_at")
        batch.drop_column("lease_owner")
