"""per-label scan counters (issue 15 items 3 and 4)

Revision ID: 0011_scan_counters
Revises: 0010_item_description
Create Date: 2026-12-07 15:40:00

``scan_counter``: how many times a label was scanned on a day, by coarse country (``""``
when no trusted proxy header gave one). Nothing identifies the scanner: no IP address, user
agent, cookie or identifier (docs/privacy.md). Counts are written in batches by
:mod:`labeling.verification.telemetry` and pruned after the retention period.

``label_mark.evidence``: what a scan-threshold mark saw (countries, scans, window) as JSON,
so that the SUSPICIOUS verdict can say it without reading the counters again.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_scan_counters"
down_revision: str | None = "0010_item_description"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "scan_counter",
        sa.Column("label_id", _BIG_ID, sa.ForeignKey("label.id"), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("scans", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("label_id", "day", "country", name="pk_scan_counter"),
    )
    op.create_index("ix_scan_counter_day", "scan_counter", ["day"])
    with op.batch_alter_table("label_mark") as batch:
        batch.add_column(sa.Column("evidence", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("label_mark") as batch:
        batch.drop_column("evidence")
    op.drop_index("ix_scan_counter_day", table_name="scan_counter")
    op.drop_table("scan_counter")
