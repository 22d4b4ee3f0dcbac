"""item descriptions and photos (issue 15 item 1)

Revision ID: 0010_item_description
Revises: 0009_retailers
Create Date: 2026-12-07 15:40:00

A product line says what a buyer can check with their eyes: how it is made (``craft``), a
size class or dimensions in millimetres, and photos (``item_photo``: re-encoded WebP images
and thumbnails, metadata stripped). ``item_version`` moves with every change, so the online
verifier's memory of an item's facts follows it. See docs/verification.md, "The item".
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_item_description"
down_revision: str | None = "0009_retailers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_NEW_COLUMNS = ("craft", "size_class", "width_mm", "length_mm", "height_mm", "item_version")


def upgrade() -> None:
    with op.batch_alter_table("product_line", schema=None) as batch_op:
        batch_op.add_column(sa.Column("craft", sa.String(120), nullable=True))
        batch_op.add_column(sa.Column("size_class", sa.String(3), nullable=True))
        batch_op.add_column(sa.Column("width_mm", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("length_mm", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("height_mm", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("item_version", sa.Integer(), nullable=False, server_default="0")
        )
    op.create_table(
        "item_photo",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("public_id", sa.String(32), nullable=False, unique=True),
        sa.Column(
            "product_line_id", sa.Integer(), sa.ForeignKey("product_line.id"), nullable=False
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("media_type", sa.String(20), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("image", sa.LargeBinary(), nullable=False),
        sa.Column("image_sha256", sa.String(64), nullable=False),
        sa.Column("thumbnail_width", sa.Integer(), nullable=False),
        sa.Column("thumbnail_height", sa.Integer(), nullable=False),
        sa.Column("thumbnail", sa.LargeBinary(), nullable=False),
        sa.Column("thumbnail_sha256", sa.String(64), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_item_photo_product_line_id", "item_photo", ["product_line_id"])


def downgrade() -> None:
    op.drop_index("ix_item_photo_product_line_id", table_name="item_photo")
    op.drop_table("item_photo")
    with op.batch_alter_table("product_line", schema=None) as batch_op:
        for name in reversed(_NEW_COLUMNS):
            batch_op.drop_column(name)
