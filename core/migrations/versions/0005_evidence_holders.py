"""evidence holders: which bodies hold which evidence files

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 10:00:00

An evidence file is stored once, whoever uploads it (``evidence_blob``, keyed by its
SHA-256), but read access followed its *first* uploader's body: a body that uploaded bytes
another body already held was answered 201 and then 404 on download, and citing a hash in
an audit told whether it was stored anywhere. ``evidence_holder`` records every body that
uploaded a file; a body reads and cites the files it holds (docs/adr/0006).

Backfill, so that nobody loses access the old rules gave:

* each file's first uploader's body (``evidence_blob.body_id``, when set) holds it, with
  the uploader and the row's ``created_at``;
* a body whose audit cites a file holds it (before this revision an audit could cite any
  stored hash, and the citing body already read the file through its audit): its first
  citing audit's (the lowest id's) inspector and submission time stand for the upload.
  Without this, a correction of such an audit, which cites the same files again, would be
  refused.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "evidence_holder",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("first_uploaded_by", sa.Integer(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["sha256"], ["evidence_blob.sha256"]),
        sa.ForeignKeyConstraint(["body_id"], ["body.id"]),
        sa.ForeignKeyConstraint(["first_uploaded_by"], ["user_account.id"]),
        sa.PrimaryKeyConstraint("sha256", "body_id"),
    )
    op.execute(
        "INSERT INTO evidence_holder (sha256, body_id, first_uploaded_by, uploaded_at) "
        "SELECT sha256, body_id, uploaded_by, created_at FROM evidence_blob "
        "WHERE body_id IS NOT NULL"
    )
    op.execute(
        "INSERT INTO evidence_holder (sha256, body_id, first_uploaded_by, uploaded_at) "
        "SELECT cited.sha256, citing.body_id, citing.inspector_id, citing.submitted_at "
        "FROM audit_evidence AS cited JOIN audit AS citing ON citing.id = cited.audit_id "
        "WHERE citing.id = ("
        "  SELECT MIN(earlier.id) FROM audit_evidence AS earlier_cite "
        "  JOIN audit AS earlier ON earlier.id = earlier_cite.audit_id "
        "  WHERE earlier_cite.sha256 = cited.sha256 AND earlier.body_id = citing.body_id"
        ") AND NOT EXISTS ("
        "  SELECT 1 FROM evidence_holder AS held "
        "  WHERE held.sha256 = cited.sha256 AND held.body_id = citing.body_id"
        ")"
    )


def downgrade() -> None:
    op.drop_table("evidence_holder")
