"""The archive: articles, revisions, tags, entities, threads, sources, meta.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

from newsdesk.store.types import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("url", sa.Text),
        sa.Column("source", sa.String(200)),
        sa.Column("author", sa.String(300)),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("lead", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("published_at", UTCDateTime),
        sa.Column("fetched_at", UTCDateTime),
        sa.Column("updated_at", UTCDateTime),
        sa.Column("lang", sa.String(8)),
        sa.Column("rubric", sa.String(32)),
        sa.Column("rubric_confidence", sa.Float),
        sa.Column("thread_id", sa.String(64)),
        sa.Column("duplicate_of", sa.String(64)),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("nlp_version", sa.String(32)),
        sa.Column("extra", sa.JSON),
    )
    for col in ("url", "source", "published_at", "lang", "rubric", "thread_id", "duplicate_of"):
        op.create_index(f"ix_articles_{col}", "articles", [col])
    op.create_table(
        "article_revisions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("article_id", sa.String(64), sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("lead", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("url", sa.Text),
        sa.Column("published_at", UTCDateTime),
        sa.Column("editor_tags", sa.JSON),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("saved_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_article_revisions_article_id", "article_revisions", ["article_id"])
    op.create_table(
        "tags",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("slug", sa.String(200), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
    )
    op.create_table(
        "article_tags",
        sa.Column("article_id", sa.String(64), sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("tag_id", sa.Integer, sa.ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("origin", sa.String(12), primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("confidence", sa.Float),
    )
    op.create_index("ix_article_tags_tag", "article_tags", ["tag_id", "origin"])
    op.create_table(
        "entities",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("slug", sa.String(200), nullable=False, unique=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("type", sa.String(8), nullable=False),
    )
    op.create_table(
        "article_entities",
        sa.Column("article_id", sa.String(64), sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("entity_id", sa.Integer, sa.ForeignKey("entities.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("mentions", sa.Integer, nullable=False),
    )
    op.create_index("ix_article_entities_entity_id", "article_entities", ["entity_id"])
    op.create_table(
        "threads",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("first_published", UTCDateTime),
        sa.Column("last_published", UTCDateTime),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("sources", sa.Integer, nullable=False),
        sa.Column("lang", sa.String(8)),
        sa.Column("rubric", sa.String(32)),
        sa.Column("score", sa.Float),
    )
    op.create_index("ix_threads_first_published", "threads", ["first_published"])
    op.create_index("ix_threads_last_published", "threads", ["last_published"])
    op.create_table(
        "sources",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("url", sa.Text, nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("interval_s", sa.Integer, nullable=False),
        sa.Column("lang", sa.String(8)),
        sa.Column("enabled", sa.Boolean, nullable=False),
        sa.Column("etag", sa.Text),
        sa.Column("last_modified", sa.Text),
        sa.Column("created_at", UTCDateTime),
        sa.Column("last_polled", UTCDateTime),
        sa.Column("next_poll", UTCDateTime),
        sa.Column("last_success", UTCDateTime),
        sa.Column("last_error", sa.Text),
        sa.Column("last_error_at", UTCDateTime),
        sa.Column("consecutive_failures", sa.Integer, nullable=False),
    )
    op.create_table(
        "source_fetches",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("source_id", sa.Integer, sa.ForeignKey("sources.id", ondelete="CASCADE"), nullable=False),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.Column("status", sa.Integer),
        sa.Column("ok", sa.Boolean, nullable=False),
        sa.Column("latency_ms", sa.Float),
        sa.Column("items_new", sa.Integer, nullable=False),
        sa.Column("error", sa.Text),
    )
    op.create_index("ix_source_fetches_source_id", "source_fetches", ["source_id"])
    op.create_index("ix_source_fetches_at", "source_fetches", ["at"])
    op.create_table(
        "meta",
        sa.Column("key", sa.String(100), primary_key=True),
        sa.Column("value", sa.JSON),
    )


def downgrade() -> None:
    for table in (
        "meta", "source_fetches", "sources", "threads", "article_entities", "entities",
        "article_tags", "tags", "article_revisions", "articles",
    ):
        op.drop_table(table)
