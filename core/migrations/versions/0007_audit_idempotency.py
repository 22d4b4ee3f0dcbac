"""audit idempotency keys: a submission is recorded once

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 10:00:00

An inspector's audit may be sent twice — a double click, a retry after a lost answer, the
offline outbox resending when the network returns (issue 14). ``audit.idempotency_key`` holds
the client's id of the submission, unique per body (``uq_audit_body_idempotency_key``; rows
without a key, every audit recorded before, are not constrained), and ``audit.request_hash``
the SHA-256 of what was submitted with it, so a key reused for other content is refused.

``audit`` is append-only (triggers refuse UPDATE and DELETE): the columns are added with
``ALTER TABLE … ADD COLUMN`` and the constraint is a unique index, so the table is never
rebuilt and its triggers stay.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("audit", sa.Column("idempotency_key", sa.String(length=100), nullable=True))
    op.add_column("audit", sa.Column("request_hash", sa.String(length=64), nullable=True))
    op.create_index(
        "uq_audit_body_idempotency_key", "audit", ["body_id", "idempotency_key"], unique=True
    )


def downgrade() -> None:
    op.drop_index("uq_audit_body_idempotency_key", table_name="audit")
    # Plain ALTER TABLE (SQLite >= 3.35 too): a batch rebuild would drop the triggers.
    op.execute("ALTER TABLE audit DROP COLUMN request_hash")
    op.execute("ALTER TABLE audit DROP COLUMN idempotency_key")
