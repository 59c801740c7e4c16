"""service.plain_name_cy: a service's plain name in Welsh, shown on Welsh pages when set

Revision ID: 0019_welsh_names
Revises: 0015_mail_actions
Create Date: 2026-12-07 18:35:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0019_welsh_names'
down_revision = '0015_mail_actions'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('service', schema=None) as batch_op:
        batch_op.add_column(sa.Column('plain_name_cy', sa.String(length=200), nullable=True))


def downgrade():
    with op.batch_alter_table('service', schema=None) as batch_op:
        batch_op.drop_column('plain_name_cy')
