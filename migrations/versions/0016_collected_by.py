"""collected_by_id: the provider that collected a feedback entry (and its import batch)

Revision ID: 0016_collected_by
Revises: 0014_pmf_returns
Create Date: 2026-12-07 04:45:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0016_collected_by'
down_revision = '0014_pmf_returns'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('feedback_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('collected_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(op.f('fk_feedback_entry_collected_by_id_organisation'),
                                    'organisation', ['collected_by_id'], ['id'])
        batch_op.create_index(batch_op.f('ix_feedback_entry_collected_by_id'),
                              ['collected_by_id'], unique=False)
    with op.batch_alter_table('import_batch', schema=None) as batch_op:
        batch_op.add_column(sa.Column('collected_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(op.f('fk_import_batch_collected_by_id_organisation'),
                                    'organisation', ['collected_by_id'], ['id'])
        batch_op.create_index(batch_op.f('ix_import_batch_collected_by_id'),
                              ['collected_by_id'], unique=False)


def downgrade():
    with op.batch_alter_table('import_batch', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_batch_collected_by_id'))
        batch_op.drop_constraint(op.f('fk_import_batch_collected_by_id_organisation'),
                                 type_='foreignkey')
        batch_op.drop_column('collected_by_id')
    with op.batch_alter_table('feedback_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feedback_entry_collected_by_id'))
        batch_op.drop_constraint(op.f('fk_feedback_entry_collected_by_id_organisation'),
                                 type_='foreignkey')
        batch_op.drop_column('collected_by_id')
