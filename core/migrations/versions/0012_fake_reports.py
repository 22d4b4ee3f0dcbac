"""buyer reports of suspected fakes and their cases (issue 15 item 5)

Revision ID: 0012_fake_reports
Revises: 0011_scan_counters
Create Date: 2026-12-07 15:40:00

Placeholder reserved so that parallel work chains its migrations in a fixed order; it is
filled in by the change that builds the capability.
"""

from collections.abc import Sequence

revision: str = "0012_fake_reports"
down_revision: str | None = "0011_scan_counters"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
