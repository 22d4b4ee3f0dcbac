"""per-label scan counters (issue 15 items 3 and 4)

Revision ID: 0011_scan_counters
Revises: 0010_item_description
Create Date: 2026-12-07 15:40:00

Placeholder reserved so that parallel work chains its migrations in a fixed order; it is
filled in by the change that builds the capability.
"""

from collections.abc import Sequence

revision: str = "0011_scan_counters"
down_revision: str | None = "0010_item_description"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
