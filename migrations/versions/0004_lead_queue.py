"""The safeguarding lead's queue: what triggered the screen (phrases, model
reasons and score), a moderator's referral (who, when, why) and the lead's
release or keep-private choice, on action cards and feedback entries

Revision ID: 0004_lead_queue
Revises: 0003_insight_indexes
Create Date: 2026-12-04 03:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0004_lead_queue'
down_revision = '0003_insight_indexes'
branch_labels = None
depends_on = None

TABLES = ('action_card', 'feedback_entry')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('safeguarding_trigger', sa.JSON(), nullable=True))
            batch_op.add_column(sa.Column('safeguarding_score', sa.Float(), nullable=True))
            batch_op.add_column(sa.Column('safeguarding_referral_reason', sa.Text(), nullable=True))
            batch_op.add_column(sa.Column('safeguarding_referred_at', sa.DateTime(timezone=True),
                                          nullable=True))
            batch_op.add_column(sa.Column('safeguarding_referred_by_id', sa.Integer(),
                                          nullable=True))
            batch_op.add_column(sa.Column('safeguarding_release', sa.String(length=20),
                                          nullable=True))
            batch_op.create_foreign_key(
                op.f(f'fk_{table}_safeguarding_referred_by_id_user'), 'user',
                ['safeguarding_referred_by_id'], ['id'], ondelete='SET NULL')


def downgrade():
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f'fk_{table}_safeguarding_referred_by_id_user'),
                                     type_='foreignkey')
            for column in ('safeguarding_release', 'safeguarding_referred_by_id',
                           'safeguarding_referred_at', 'safeguarding_referral_reason',
                           'safeguarding_score', 'safeguarding_trigger'):
                batch_op.drop_column(column)
