"""service_name: the other names a service is known by (what young people and
families call it), for search and for recognising a service in an import

Revision ID: 0011_service_names
Revises: 0010_theme_levels
Create Date: 2026-12-07 01:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0011_service_names'
down_revision = '0010_theme_levels'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'service_name',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('service_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(['service_id'], ['service.id'],
                                name=op.f('fk_service_name_service_id_service'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_service_name')),
        sa.UniqueConstraint('service_id', 'name', name=op.f('uq_service_name_service_id')),
    )
    with op.batch_alter_table('service_name', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_name_service_id'), ['service_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('service_name', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_name_service_id'))
    op.drop_table('service_name')
