"""search queue and idea vectors

Revision ID: 86d9ff7eaf19
Revises: 7b0ec62e6ebf
Create Date: 2026-12-02 04:17:36.949307

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '86d9ff7eaf19'
down_revision = '7b0ec62e6ebf'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('search_queue',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('obj_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_queue'))
    )
    with op.batch_alter_table('search_queue', schema=None) as batch_op:
        batch_op.create_index('ix_search_queue_kind_obj', ['kind', 'obj_id'], unique=False)

    op.create_table('search_idea_vectors',
    sa.Column('idea_id', sa.Integer(), nullable=False),
    sa.Column('challenge_id', sa.Integer(), nullable=False),
    sa.Column('digest', sa.String(length=32), nullable=False),
    sa.Column('lang', sa.String(length=5), nullable=False),
    sa.Column('vector', sa.LargeBinary(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['challenge_id'], ['challenges.id'], name=op.f('fk_search_idea_vectors_challenge_id_challenges'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['idea_id'], ['ideas.id'], name=op.f('fk_search_idea_vectors_idea_id_ideas'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('idea_id', name=op.f('pk_search_idea_vectors'))
    )
    with op.batch_alter_table('search_idea_vectors', schema=None) as batch_op:
        batch_op.create_index('ix_search_idea_vectors_challenge', ['challenge_id', 'idea_id'], unique=False)


def downgrade():
    # The PostgreSQL search backend makes its own tables on first use (not in the models'
    # metadata); they go with the search schema.
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TABLE IF EXISTS search_documents")
        op.execute("DROP TABLE IF EXISTS search_vocabulary")
    with op.batch_alter_table('search_idea_vectors', schema=None) as batch_op:
        batch_op.drop_index('ix_search_idea_vectors_challenge')

    op.drop_table('search_idea_vectors')
    with op.batch_alter_table('search_queue', schema=None) as batch_op:
        batch_op.drop_index('ix_search_queue_kind_obj')

    op.drop_table('search_queue')
