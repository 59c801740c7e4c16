"""user.totp_last_step: the last TOTP time step accepted, so no code is accepted twice

Revision ID: 0002_user_totp_last_step
Revises: 0001
Create Date: 2026-11-22 07:28:15.732221

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002_user_totp_last_step'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('totp_last_step', sa.BigInteger(), nullable=True))


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('totp_last_step')

