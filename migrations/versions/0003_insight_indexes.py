"""Insight indexes: published cards and feedback by date (covering on PostgreSQL),
items waiting for classification, and item -> theme lookups

Revision ID: 0003_insight_indexes
Revises: 0002_user_totp_last_step
Create Date: 2026-11-22 08:25:00

Measured with benchmarks/insight_speed.py (docs/performance.md): period
filters read the partial indexes instead of the tables, and counting items
waiting for classification no longer scans them.
"""
from alembic import op
import sqlalchemy as sa


revision = '0003_insight_indexes'
down_revision = '0002_user_totp_last_step'
branch_labels = None
depends_on = None

PUBLISHED_PG = "moderation_state = 'approved' AND safeguarding_flagged IS false"
PUBLISHED_SQLITE = "moderation_state = 'approved' AND safeguarding_flagged = 0"
UNANALYSED = "sentiment IS NULL AND moderation_state = 'approved'"
INCLUDE = {
    'action_card': ['id', 'service_id', 'area_id', 'me_too_count', 'sentiment', 'age_band',
                    'in_care', 'care_leaver', 'send', 'young_carer'],
    'feedback_entry': ['id', 'service_id', 'area_id', 'source', 'families_represented',
                       'sentiment', 'rating', 'child_age_band', 'disability_send'],
}


def upgrade():
    for table, include in INCLUDE.items():
        op.create_index(f'ix_{table}_published', table, ['created_at'], unique=False,
                        postgresql_include=include,
                        postgresql_where=sa.text(PUBLISHED_PG),
                        sqlite_where=sa.text(PUBLISHED_SQLITE))
        op.create_index(f'ix_{table}_unanalysed', table, ['id'], unique=False,
                        postgresql_where=sa.text(UNANALYSED), sqlite_where=sa.text(UNANALYSED))
    op.create_index('ix_theme_assignment_card_theme', 'theme_assignment',
                    ['card_id', 'theme_id'], unique=False)
    op.create_index('ix_theme_assignment_entry_theme', 'theme_assignment',
                    ['feedback_entry_id', 'theme_id'], unique=False)


def downgrade():
    op.drop_index('ix_theme_assignment_entry_theme', table_name='theme_assignment')
    op.drop_index('ix_theme_assignment_card_theme', table_name='theme_assignment')
    for table in reversed(list(INCLUDE)):
        op.drop_index(f'ix_{table}_unanalysed', table_name=table)
        op.drop_index(f'ix_{table}_published', table_name=table)
