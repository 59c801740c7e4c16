"""journey_state (public journeys' answers and one-time receipt codes, server-side);
erase_requested_at on cards and feedback (erased by their author while a safeguarding
lead had not yet decided)

Revision ID: 0007_uploads
Revises: 0005_hardening
Create Date: 2026-12-04 03:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0007_uploads'
down_revision = '0005_hardening'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'journey_state',
        sa.Column('id', sa.String(length=64), nullable=False),
        sa.Column('data', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_journey_state')),
    )
    with op.batch_alter_table('journey_state', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_journey_state_expires_at'), ['expires_at'],
                              unique=False)
    for table in ('action_card', 'feedback_entry'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('erase_requested_at', sa.DateTime(timezone=True),
                                          nullable=True))


def downgrade():
    for table in ('feedback_entry', 'action_card'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('erase_requested_at')
    with op.batch_alter_table('journey_state', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_journey_state_expires_at'))
    op.drop_table('journey_state')
