"""One tag per place: a place's Kazakh-named tag («Балқаш», slug balqash) joins its Russian-named
one («Балхаш», balkhash), which pages show in Kazakh on Kazakh articles.

The pairs are the gazetteer's (places whose two names slug differently). A tag under a place's
Kazakh slug is renamed, or merged into the Russian-named tag when both exist; an article carrying
both keeps one row per origin.

Revision ID: 0007_place_tags
Revises: 0006_vectors
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_place_tags"
down_revision = "0006_vectors"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from newsdesk import gazetteer
    from newsdesk.slug import slugify

    conn = op.get_bind()
    for place in gazetteer.load_places():
        old, new = slugify(place.kk), slugify(place.ru)
        if not place.kk or not old or old == new:
            continue
        found = conn.execute(sa.text("SELECT id FROM tags WHERE slug = :slug"), {"slug": old}).first()
        if found is None:
            continue
        target = conn.execute(sa.text("SELECT id FROM tags WHERE slug = :slug"), {"slug": new}).first()
        if target is None:
            conn.execute(sa.text("UPDATE tags SET slug = :slug, name = :name, kind = 'place' WHERE id = :id"),
                         {"slug": new, "name": place.ru, "id": found.id})
            continue
        ids = {"old": found.id, "new": target.id}
        conn.execute(sa.text(
            "DELETE FROM article_tags WHERE tag_id = :old AND EXISTS (SELECT 1 FROM article_tags b "
            "WHERE b.tag_id = :new AND b.article_id = article_tags.article_id AND b.origin = article_tags.origin)"),
            ids)
        conn.execute(sa.text("UPDATE article_tags SET tag_id = :new WHERE tag_id = :old"), ids)
        conn.execute(sa.text("UPDATE tags SET kind = 'place' WHERE id = :new"), ids)
        conn.execute(sa.text("DELETE FROM tags WHERE id = :old"), ids)


def downgrade() -> None:
    """The merged rows cannot be told apart again; tags stay merged."""
