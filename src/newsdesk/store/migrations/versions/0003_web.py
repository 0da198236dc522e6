"""Covering indexes for the site's lists: a tag's articles without table lookups, and article
dates by id (the tag feed sorts the tagged ids by date).

Revision ID: 0003_web
Revises: 0002_search
Create Date: 2026-11-24
"""

from alembic import op

revision = "0003_web"
down_revision = "0002_search"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_article_tags_tag_cover", "article_tags", ["tag_id", "origin", "position", "article_id"])
    op.create_index("ix_articles_id_published", "articles", ["id", "published_at"])


def downgrade() -> None:
    op.drop_index("ix_articles_id_published", "articles")
    op.drop_index("ix_article_tags_tag_cover", "article_tags")
