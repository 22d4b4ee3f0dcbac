"""item descriptions and photos (issue 15 item 1)

Revision ID: 0010_item_description
Revises: 0009_retailers
Create Date: 2026-12-07 15:40:00

Placeholder reserved so that parallel work chains its migrations in a fixed order; it is
filled in by the change that builds the capability.
"""

from collections.abc import Sequence

revision: str = "0010_item_description"
down_revision: str | None = "0009_retailers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
