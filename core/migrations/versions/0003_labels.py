"""labels

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 10:00:00

* ``label_batch``: issuance requests; ``(body_id, idempotency_key)`` unique.
* ``label``: one row per item; ``(gtin, serial)`` unique.
* ``label_event``: label status history, append-only (triggers refuse UPDATE and DELETE).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from core.migrations.append_only import drop_append_only, make_append_only

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "label_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), sa.ForeignKey("body.id"), nullable=False),
        sa.Column("certificate_id", sa.Integer(), sa.ForeignKey("certificate.id"), nullable=False),
        sa.Column("artisan_id", sa.Integer(), sa.ForeignKey("artisan.id"), nullable=False),
        sa.Column("product_line_id", sa.Integer(), sa.ForeignKey("product_line.id"),
                  nullable=False),
        sa.Column("gtin", sa.String(length=14), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("issued_count", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("failure", sa.String(length=60), nullable=True),
        sa.Column("kid", sa.String(length=8), nullable=True),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_log_index", sa.BigInteger(), nullable=True),
        sa.Column("idempotency_key", sa.String(length=100), nullable=True),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("user_account.id"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("body_id", "idempotency_key", name="uq_label_batch_body_key"),
    )
    op.create_index("ix_label_batch_body_id", "label_batch", ["body_id"])
    op.create_index("ix_label_batch_certificate_id", "label_batch", ["certificate_id"])
    op.create_index("ix_label_batch_artisan_id", "label_batch", ["artisan_id"])

    op.create_table(
        "label",
        sa.Column("id", _BIG_ID, nullable=False),
        sa.Column("batch_id", sa.Integer(), sa.ForeignKey("label_batch.id"), nullable=False),
        sa.Column("certificate_id", sa.Integer(), sa.ForeignKey("certificate.id"), nullable=False),
        sa.Column("artisan_id", sa.Integer(), sa.ForeignKey("artisan.id"), nullable=False),
        sa.Column("gtin", sa.String(length=14), nullable=False),
        sa.Column("serial", sa.String(length=12), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kid", sa.String(length=8), nullable=False),
        sa.Column("signature", sa.LargeBinary(length=64), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("status_reason", sa.String(length=40), nullable=True),
        sa.Column("status_changed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("gtin", "serial", name="uq_label_gtin_serial"),
    )
    op.create_index("ix_label_batch_id", "label", ["batch_id"])
    op.create_index("ix_label_artisan_id", "label", ["artisan_id"])
    op.create_index("ix_label_certificate_status", "label", ["certificate_id", "status"])

    op.create_table(
        "label_event",
        sa.Column("id", _BIG_ID, nullable=False),
        sa.Column("label_id", _BIG_ID, sa.ForeignKey("label.id"), nullable=False),
        sa.Column("action", sa.String(length=12), nullable=False),
        sa.Column("from_status", sa.String(length=10), nullable=False),
        sa.Column("to_status", sa.String(length=10), nullable=False),
        sa.Column("reason_code", sa.String(length=40), nullable=False),
        sa.Column("actor_id", sa.Integer(), sa.ForeignKey("user_account.id"), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_label_event_label_id", "label_event", ["label_id"])
    make_append_only("label_event")


def downgrade() -> None:
    drop_append_only("label_event")
    op.drop_index("ix_label_event_label_id", table_name="label_event")
    op.drop_table("label_event")
    op.drop_index("ix_label_certificate_status", table_name="label")
    op.drop_index("ix_label_artisan_id", table_name="label")
    op.drop_index("ix_label_batch_id", table_name="label")
    op.drop_table("label")
    op.drop_index("ix_label_batch_artisan_id", table_name="label_batch")
    op.drop_index("ix_label_batch_certificate_id", table_name="label_batch")
    op.drop_index("ix_label_batch_body_id", table_name="label_batch")
    op.drop_table("label_batch")
