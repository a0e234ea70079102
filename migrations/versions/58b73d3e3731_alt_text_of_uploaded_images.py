"""alt text of uploaded images

Every uploaded image keeps the words that stand in for it (required on upload from now
on); images stored before get "", and their pages describe them by their place.

Revision ID: 58b73d3e3731
Revises: 3078d52ecb30
Create Date: 2026-12-02 10:14:38.288774

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '58b73d3e3731'
down_revision = '3078d52ecb30'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('focus_group_attachments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('alt', sa.String(length=300), server_default='', nullable=False))

    with op.batch_alter_table('idea_images', schema=None) as batch_op:
        batch_op.add_column(sa.Column('alt', sa.String(length=300), server_default='', nullable=False))

    with op.batch_alter_table('prototype_feedback_images', schema=None) as batch_op:
        batch_op.add_column(sa.Column('alt', sa.String(length=300), server_default='', nullable=False))

    with op.batch_alter_table('prototype_iteration_images', schema=None) as batch_op:
        batch_op.add_column(sa.Column('alt', sa.String(length=300), server_default='', nullable=False))



def downgrade():
    with op.batch_alter_table('prototype_iteration_images', schema=None) as batch_op:
        batch_op.drop_column('alt')

    with op.batch_alter_table('prototype_feedback_images', schema=None) as batch_op:
        batch_op.drop_column('alt')

    with op.batch_alter_table('idea_images', schema=None) as batch_op:
        batch_op.drop_column('alt')

    with op.batch_alter_table('focus_group_attachments', schema=None) as batch_op:
        batch_op.drop_column('alt')

