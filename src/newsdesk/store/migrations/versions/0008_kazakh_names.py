"""A person's Kazakh spelling: an entity first met in Kazakh text («Әділ Сәрсенбаев») is stored under its
Russian name once a Russian text names it («Адиль Сарсенбаев»); ``entities.kazakh_name`` keeps the Kazakh
one, which Kazakh pages show.  Filled as Kazakh articles are written (``newsdesk reanalyse`` fills it for
an archive written before); an entity still stored under its Kazakh name gets it at once.

Revision ID: 0008_kazakh_names
Revises: 0007_place_tags
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_kazakh_names"
down_revision = "0007_place_tags"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from newsdesk.kazakh import has_kazakh_letters

    op.add_column("entities", sa.Column("kazakh_name", sa.String(300), nullable=True))
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, name FROM entities WHERE type = 'PER'")).all()
    for row in rows:
        if has_kazakh_letters(row.name):
            conn.execute(sa.text("UPDATE entities SET kazakh_name = :name WHERE id = :id"),
                         {"name": row.name, "id": row.id})


def downgrade() -> None:
    op.drop_column("entities", "kazakh_name")
