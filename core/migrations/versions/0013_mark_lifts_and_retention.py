"""lifting threshold marks, the registry's shared secret, webhook retention (issue 15 gaps)

Revision ID: 0013_mark_lifts_and_retention
Revises: 0012_fake_reports
Create Date: 2026-12-07 19:00:00

* ``registry_secret``: random bytes drawn once per registry and read by every worker, from
  which keys are derived with HKDF (the report form's time token: every worker agrees).
* ``label_mark_lift`` and ``label_mark.lift_id``: a body administrator lifts a label's
  scan-threshold marks (a trade fair); a lifted mark stops counting, and the thresholds
  count only scans after the lift (its ``baseline``).
* ``webhook_delivery.finished_at``: when a delivery was delivered or given up, so the
  delivery worker can prune events and their log after ``KHATEM_WEBHOOK_RETENTION_DAYS``.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_mark_lifts_and_retention"
down_revision: str | None = "0012_fake_reports"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _at(name: str, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "registry_secret",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("value", sa.LargeBinary(), nullable=False),
        _at("created_at"),
    )
    op.create_table(
        "label_mark_lift",
        sa.Column("id", _BIG_ID, primary_key=True),
        sa.Column("label_id", _BIG_ID, sa.ForeignKey("label.id"), nullable=False),
        sa.Column("reasons", sa.String(200), nullable=False),
        sa.Column("note", sa.String(500), nullable=False),
        sa.Column("lifted_by", sa.Integer(), sa.ForeignKey("user_account.id"), nullable=False),
        _at("lifted_at"),
        sa.Column("baseline", sa.Text(), nullable=False),
    )
    op.create_index("ix_label_mark_lift_label", "label_mark_lift", ["label_id"])
    with op.batch_alter_table("label_mark") as batch:
        batch.add_column(sa.Column("lift_id", _BIG_ID, nullable=True))
        batch.create_foreign_key(
            "fk_label_mark_lift", "label_mark_lift", ["lift_id"], ["id"]
        )
    with op.batch_alter_table("webhook_delivery") as batch:
        batch.add_column(_at("finished_at", nullable=True))
        batch.create_index("ix_webhook_delivery_finished", ["finished_at"])
    # Deliveries that ended before this revision: delivered when delivered, given up at
    # their last attempt (or when they were made, if none was logged).
    op.execute(
        "UPDATE webhook_delivery SET finished_at = delivered_at WHERE status = 'delivered'"
    )
    op.execute(
        "UPDATE webhook_delivery SET finished_at = COALESCE("
        "(SELECT MAX(a.attempted_at) FROM webhook_attempt a"
        " WHERE a.delivery_id = webhook_delivery.id), created_at)"
        " WHERE status = 'failed'"
    )


def downgrade() -> None:
    with op.batch_alter_table("webhook_delivery") as batch:
        batch.drop_index("ix_webhook_delivery_finished")
        batch.drop_column("finished_at")
    with op.batch_alter_table("label_mark") as batch:
        batch.drop_constraint("fk_label_mark_lift", type_="foreignkey")
        batch.drop_column("lift_id")
    op.drop_index("ix_label_mark_lift_label", "label_mark_lift")
    op.drop_table("label_mark_lift")
    op.drop_table("registry_secret")
