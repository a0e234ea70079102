"""the language of ideas and challenges

Each idea and challenge records the language it is written in (ideas/core/languages.py);
the idea list's covering indexes end in it, so the list's language filter and counts
read the index alone. Existing rows get their detected language here, and the search
index is queued for a rebuild so that its language facet follows.

Revision ID: 3078d52ecb30
Revises: 86d9ff7eaf19
Create Date: 2026-12-02 10:02:10.425931

"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3078d52ecb30'
down_revision = '86d9ff7eaf19'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('challenges', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=8), nullable=True))

    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=8), nullable=True))
        batch_op.drop_index(batch_op.f('ix_ideas_discussed'))
        batch_op.create_index('ix_ideas_discussed', ['challenge_id', 'comment_count', 'id', 'status', 'hidden_at', 'author_id', 'language'], unique=False)
        batch_op.drop_index(batch_op.f('ix_ideas_fresh'))
        batch_op.create_index('ix_ideas_fresh', ['challenge_id', 'votes_total', 'id', 'status', 'hidden_at', 'author_id', 'language'], unique=False)
        batch_op.drop_index(batch_op.f('ix_ideas_new'))
        batch_op.create_index('ix_ideas_new', ['challenge_id', 'created_at', 'id', 'status', 'hidden_at', 'author_id', 'language'], unique=False)
        batch_op.drop_index(batch_op.f('ix_ideas_top'))
        batch_op.create_index('ix_ideas_top', ['challenge_id', 'score', 'id', 'status', 'hidden_at', 'author_id', 'language'], unique=False)
        batch_op.drop_index(batch_op.f('ix_ideas_trend'))
        batch_op.create_index('ix_ideas_trend', ['challenge_id', 'trend', 'id', 'status', 'hidden_at', 'author_id', 'language'], unique=False)

    from ideas.core.languages import backfill

    bind = op.get_bind()
    filled = backfill(bind)
    if any(filled.values()):
        queue = sa.table("search_queue", sa.column("kind"), sa.column("obj_id"), sa.column("created_at"))
        bind.execute(queue.insert().values(kind="all", obj_id=0,
                                           created_at=datetime.now(timezone.utc).replace(tzinfo=None)))


def downgrade():
    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.drop_index('ix_ideas_trend')
        batch_op.create_index(batch_op.f('ix_ideas_trend'), ['challenge_id', 'trend', 'id', 'status', 'hidden_at', 'author_id'], unique=False)
        batch_op.drop_index('ix_ideas_top')
        batch_op.create_index(batch_op.f('ix_ideas_top'), ['challenge_id', 'score', 'id', 'status', 'hidden_at', 'author_id'], unique=False)
        batch_op.drop_index('ix_ideas_new')
        batch_op.create_index(batch_op.f('ix_ideas_new'), ['challenge_id', 'created_at', 'id', 'status', 'hidden_at', 'author_id'], unique=False)
        batch_op.drop_index('ix_ideas_fresh')
        batch_op.create_index(batch_op.f('ix_ideas_fresh'), ['challenge_id', 'votes_total', 'id', 'status', 'hidden_at', 'author_id'], unique=False)
        batch_op.drop_index('ix_ideas_discussed')
        batch_op.create_index(batch_op.f('ix_ideas_discussed'), ['challenge_id', 'comment_count', 'id', 'status', 'hidden_at', 'author_id'], unique=False)
    # In place: a batch would copy the ideas table on SQLite, whose stored generated
    # column (votes_total) the copy cannot recreate; SQLite 3.35+ drops a column itself.
    for table in ('ideas', 'challenges'):
        op.execute(f'ALTER TABLE {table} DROP COLUMN language')

