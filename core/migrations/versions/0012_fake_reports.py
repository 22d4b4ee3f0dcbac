"""buyer reports of suspected fakes and their cases (issue 15 item 5)

Revision ID: 0012_fake_reports
Revises: 0011_scan_counters
Create Date: 2026-12-07 15:40:00

A buyer reports a suspected fake from the label page or ``POST /api/v1/reports``; each
report (``fake_report``) opens a case (``report_case``) for the body that certified the
label's artisan, or joins that label's open case (one open case per label: a partial
unique index). See docs/reports.md.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_fake_reports"
down_revision: str | None = "0011_scan_counters"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _at(name: str, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "report_case",
        sa.Column("id", _BIG_ID, primary_key=True),
        sa.Column("label_id", _BIG_ID, sa.ForeignKey("label.id"), nullable=False),
        sa.Column("body_id", sa.Integer(), sa.ForeignKey("body.id"), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("reports_count", sa.Integer(), nullable=False),
        _at("opened_at"),
        _at("last_report_at"),
        _at("closed_at", nullable=True),
        sa.Column("decided_by", sa.Integer(), sa.ForeignKey("user_account.id"), nullable=True),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        _at("purged_at", nullable=True),
    )
    op.create_index(
        "uq_report_case_open_label",
        "report_case",
        ["label_id"],
        unique=True,
        sqlite_where=sa.text("status = 'open'"),
        postgresql_where=sa.text("status = 'open'"),
    )
    op.create_index("ix_report_case_body", "report_case", ["body_id", "status", "id"])
    op.create_table(
        "fake_report",
        sa.Column("id", _BIG_ID, primary_key=True),
        sa.Column("case_id", _BIG_ID, sa.ForeignKey("report_case.id"), nullable=False),
        sa.Column("label_id", _BIG_ID, sa.ForeignKey("label.id"), nullable=False),
        sa.Column("item", sa.String(500), nullable=False),
        sa.Column("shop_name", sa.String(200), nullable=False),
        sa.Column("city", sa.String(100), nullable=False),
        sa.Column("country", sa.String(2), nullable=True),
        sa.Column("bought_on", sa.Date(), nullable=True),
        sa.Column("contact_email", sa.String(254), nullable=True),
        sa.Column("photo", sa.LargeBinary(), nullable=True),
        _at("created_at"),
    )
    op.create_index("ix_fake_report_case", "fake_report", ["case_id"])
    op.create_index("ix_fake_report_label_time", "fake_report", ["label_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_fake_report_label_time", table_name="fake_report")
    op.drop_index("ix_fake_report_case", table_name="fake_report")
    op.drop_table("fake_report")
    op.drop_index("ix_report_case_body", table_name="report_case")
    op.drop_index("uq_report_case_open_label", table_name="report_case")
    op.drop_table("report_case")
