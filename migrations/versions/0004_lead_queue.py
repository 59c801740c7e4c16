"""The safeguarding lead's queue: what triggered the screen (phrases, model
reasons and score), a moderator's referral (who, when, why) and the lead's
release or keep-private choice, on action cards and feedback entries; a
partial index for the lead's queue

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
# The lead's queue: flagged, or decided by a lead before (as the query renders it).
LEAD_QUEUE_PG = "safeguarding_flagged IS true OR safeguarding_outcome IS NOT NULL"
LEAD_QUEUE_SQLITE = "safeguarding_flagged IS 1 OR safeguarding_outcome IS NOT NULL"


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
        op.create_index(f'ix_{table}_lead_queue', table, ['created_at'], unique=False,
                        postgresql_where=sa.text(LEAD_QUEUE_PG),
                        sqlite_where=sa.text(LEAD_QUEUE_SQLITE))


def downgrade():
    for table in reversed(TABLES):
        op.drop_index(f'ix_{table}_lead_queue', table_name=table)
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f'fk_{table}_safeguarding_referred_by_id_user'),
                                     type_='foreignkey')
            for column in ('safeguarding_release', 'safeguarding_referred_by_id',
                           'safeguarding_referred_at', 'safeguarding_referral_reason',
                           'safeguarding_score', 'safeguarding_trigger'):
                batch_op.drop_column(column)
