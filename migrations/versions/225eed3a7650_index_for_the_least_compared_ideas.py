"""index for the least-compared ideas

Revision ID: 225eed3a7650
Revises: 987cf36f6faa
Create Date: 2026-11-23 18:48:26.052457

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '225eed3a7650'
down_revision = '987cf36f6faa'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.create_index('ix_ideas_compared', ['challenge_id', 'comparison_count', 'id', 'status', 'hidden_at'], unique=False)



def downgrade():
    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.drop_index('ix_ideas_compared')

