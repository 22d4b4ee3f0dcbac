"""retailers: organisations, receipts, label marks, webhooks and their outbox

Revision ID: 0009_retailers
Revises: 0008
Create Date: 2026-12-07 12:30:00

Issue 15 items 2 and 6. A retailer organisation (department store, importer) records
receipts of labelled items; a label's first receipt binds it to a retailer and country,
and a receipt that contradicts it leaves a ``label_mark`` (read later by the SUSPICIOUS
verdict). Retailers subscribe webhooks; status changes write ``webhook_event`` rows (the
outbox) in their own transaction, and delivery workers lease ``webhook_delivery`` rows.
See docs/retailers.md and docs/webhooks.md.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_retailers"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _at(name: str, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "retailer",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(16), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column(
            "account_id",
            sa.Integer(),
            sa.ForeignKey("user_account.id"),
            nullable=False,
            unique=True,
        ),
        sa.Column("status", sa.String(10), nullable=False),
        _at("created_at"),
    )
    op.create_table(
        "receipt",
        sa.Column("id", _BIG_ID, primary_key=True),
        sa.Column("retailer_id", sa.Integer(), sa.ForeignKey("retailer.id"), nullable=False),
        sa.Column("label_id", _BIG_ID, sa.ForeignKey("label.id"), nullable=False),
        sa.Column("shipment_ref", sa.String(100), nullable=False),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("channel", sa.String(8), nullable=False),
        sa.Column("epcis_event_id", sa.String(200), nullable=True),
        sa.Column("binds", sa.Boolean(), nullable=False),
        sa.Column("verdict", sa.String(24), nullable=False),
        sa.Column("marks", sa.String(200), nullable=False),
        _at("received_at"),
        _at("recorded_at"),
        sa.UniqueConstraint("retailer_id", "label_id", name="uq_receipt_retailer_label"),
    )
    op.create_index("ix_receipt_label", "receipt", ["label_id"])
    op.create_table(
        "label_mark",
        sa.Column("id", _BIG_ID, primary_key=True),
        sa.Column("label_id", _BIG_ID, sa.ForeignKey("label.id"), nullable=False),
        sa.Column("reason", sa.String(40), nullable=False),
        sa.Column("retailer_id", sa.Integer(), sa.ForeignKey("retailer.id"), nullable=True),
        sa.Column("receipt_id", _BIG_ID, sa.ForeignKey("receipt.id"), nullable=True),
        _at("created_at"),
        sa.UniqueConstraint("label_id", "reason", "retailer_id", name="uq_label_mark"),
    )
    op.create_index("ix_label_mark_label", "label_mark", ["label_id"])
    op.create_table(
        "webhook_subscription",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("retailer_id", sa.Integer(), sa.ForeignKey("retailer.id"), nullable=False),
        sa.Column("url", sa.String(2048), nullable=False),
        sa.Column("secret", sa.String(100), nullable=False),
        sa.Column("description", sa.String(200), nullable=False),
        sa.Column("event_types", sa.String(400), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        _at("created_at"),
        _at("deleted_at", nullable=True),
    )
    op.create_index("ix_webhook_subscription_retailer_id", "webhook_subscription", ["retailer_id"])
    op.create_table(
        "webhook_event",
        sa.Column("id", _BIG_ID, primary_key=True),
        sa.Column("message_id", sa.String(40), nullable=False, unique=True),
        sa.Column("retailer_id", sa.Integer(), sa.ForeignKey("retailer.id"), nullable=False),
        sa.Column("type", sa.String(40), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        _at("created_at"),
    )
    op.create_index("ix_webhook_event_retailer_id", "webhook_event", ["retailer_id"])
    op.create_table(
        "webhook_delivery",
        sa.Column("id", _BIG_ID, primary_key=True),
        sa.Column("event_id", _BIG_ID, sa.ForeignKey("webhook_event.id"), nullable=False),
        sa.Column(
            "subscription_id",
            sa.Integer(),
            sa.ForeignKey("webhook_subscription.id"),
            nullable=False,
        ),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _at("next_attempt_at"),
        _at("series_started_at"),
        sa.Column("lease_owner", sa.String(80), nullable=True),
        _at("lease_expires_at", nullable=True),
        sa.Column("last_status_code", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.String(80), nullable=True),
        _at("delivered_at", nullable=True),
        _at("created_at"),
    )
    op.create_index("ix_webhook_delivery_event_id", "webhook_delivery", ["event_id"])
    op.create_index("ix_webhook_delivery_subscription_id", "webhook_delivery", ["subscription_id"])
    op.create_index("ix_webhook_delivery_due", "webhook_delivery", ["status", "next_attempt_at"])
    op.create_table(
        "webhook_attempt",
        sa.Column("id", _BIG_ID, primary_key=True),
        sa.Column("delivery_id", _BIG_ID, sa.ForeignKey("webhook_delivery.id"), nullable=False),
        _at("attempted_at"),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("error", sa.String(80), nullable=True),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
    )
    op.create_index("ix_webhook_attempt_delivery_id", "webhook_attempt", ["delivery_id"])


def downgrade() -> None:
    op.drop_table("webhook_attempt")
    op.drop_table("webhook_delivery")
    op.drop_table("webhook_event")
    op.drop_table("webhook_subscription")
    op.drop_table("label_mark")
    op.drop_table("receipt")
    op.drop_table("retailer")
