"""Trained models kept inside the archive (the outlet's tag model), so they travel with it.

Revision ID: 0004_models
Revises: 0003_web
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

from newsdesk.store.types import UTCDateTime

revision = "0004_models"
down_revision = "0003_web"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "models",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("meta", sa.JSON),
        sa.Column("files", sa.JSON, nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("models")
