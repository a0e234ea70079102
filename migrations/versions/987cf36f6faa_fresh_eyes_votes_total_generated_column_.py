"""fresh eyes: votes_total generated column and index

Revision ID: 987cf36f6faa
Revises: 64f526a62408
Create Date: 2026-11-23 18:13:15.598687

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '987cf36f6faa'
down_revision = '64f526a62408'
branch_labels = None
depends_on = None


def _recreate():
    # SQLite cannot ADD a stored generated column: there the batch copies the table.
    # PostgreSQL adds it in place (a copy would have to drop the key others refer to).
    return 'always' if op.get_bind().dialect.name == 'sqlite' else 'auto'


def upgrade():
    with op.batch_alter_table('ideas', schema=None, recreate=_recreate()) as batch_op:
        batch_op.add_column(sa.Column('votes_total', sa.Integer(), sa.Computed('up_votes + down_votes', persisted=True), nullable=False))
        batch_op.create_index('ix_ideas_fresh', ['challenge_id', 'votes_total', 'id', 'status', 'hidden_at', 'author_id'], unique=False)



def downgrade():
    with op.batch_alter_table('ideas', schema=None, recreate=_recreate()) as batch_op:
        batch_op.drop_index('ix_ideas_fresh')
        batch_op.drop_column('votes_total')

