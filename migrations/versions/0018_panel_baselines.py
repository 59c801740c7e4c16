"""panel_session, panel_verdict, panel_waiver: youth panels check a period's themes and
answers; population_baseline: population per area and cohort

Revision ID: 0018_panel_baselines
Revises: 0017_inspections
Create Date: 2026-12-07 05:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0018_panel_baselines'
down_revision = '0017_inspections'
branch_labels = None
depends_on = None


def _user_fk(table, column):
    return sa.ForeignKeyConstraint([column], ['user.id'], name=op.f(f'fk_{table}_{column}_user'),
                                   ondelete='SET NULL')


def upgrade():
    op.create_table(
        'panel_session',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('period_kind', sa.String(length=10), nullable=False),
        sa.Column('period_start', sa.Date(), nullable=False),
        sa.Column('period_end', sa.Date(), nullable=False),
        sa.Column('held_on', sa.Date(), nullable=False),
        sa.Column('group_name', sa.String(length=120), nullable=False),
        sa.Column('young_people', sa.Integer(), nullable=False),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('young_people >= 1', name=op.f('ck_panel_session_young_people')),
        _user_fk('panel_session', 'recorded_by_id'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_panel_session')),
    )
    with op.batch_alter_table('panel_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_panel_session_period_start'), ['period_start'],
                              unique=False)
    op.create_table(
        'panel_verdict',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('session_id', sa.Integer(), nullable=False),
        sa.Column('subject', sa.String(length=10), nullable=False),
        sa.Column('subject_id', sa.Integer(), nullable=False),
        sa.Column('original', sa.Text(), nullable=False),
        sa.Column('verdict', sa.String(length=10), nullable=False),
        sa.Column('wording', sa.Text(), nullable=True),
        sa.Column('reason', sa.Text(), nullable=True),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("subject in ('theme','answer')", name=op.f('ck_panel_verdict_subject')),
        sa.CheckConstraint("verdict in ('agreed','changed','disputed')",
                           name=op.f('ck_panel_verdict_verdict')),
        sa.ForeignKeyConstraint(['session_id'], ['panel_session.id'],
                                name=op.f('fk_panel_verdict_session_id_panel_session'),
                                ondelete='CASCADE'),
        _user_fk('panel_verdict', 'recorded_by_id'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_panel_verdict')),
        sa.UniqueConstraint('session_id', 'subject', 'subject_id',
                            name=op.f('uq_panel_verdict_session_id')),
    )
    with op.batch_alter_table('panel_verdict', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_panel_verdict_session_id'), ['session_id'],
                              unique=False)
    op.create_table(
        'panel_waiver',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('period_kind', sa.String(length=10), nullable=False),
        sa.Column('period_start', sa.Date(), nullable=False),
        sa.Column('period_end', sa.Date(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        _user_fk('panel_waiver', 'recorded_by_id'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_panel_waiver')),
        sa.UniqueConstraint('period_kind', 'period_start',
                            name=op.f('uq_panel_waiver_period_kind')),
    )
    op.create_table(
        'population_baseline',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('area_id', sa.Integer(), nullable=False),
        sa.Column('cohort', sa.String(length=20), nullable=False),
        sa.Column('population', sa.Integer(), nullable=False),
        sa.Column('source', sa.String(length=200), nullable=True),
        sa.Column('loaded_by_id', sa.Integer(), nullable=True),
        sa.Column('loaded_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('population >= 0', name=op.f('ck_population_baseline_population')),
        sa.ForeignKeyConstraint(['area_id'], ['area.id'],
                                name=op.f('fk_population_baseline_area_id_area'),
                                ondelete='CASCADE'),
        _user_fk('population_baseline', 'loaded_by_id'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_population_baseline')),
        sa.UniqueConstraint('area_id', 'cohort', name=op.f('uq_population_baseline_area_id')),
    )
    with op.batch_alter_table('population_baseline', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_population_baseline_area_id'), ['area_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('population_baseline', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_population_baseline_area_id'))
    op.drop_table('population_baseline')
    op.drop_table('panel_waiver')
    with op.batch_alter_table('panel_verdict', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_panel_verdict_session_id'))
    op.drop_table('panel_verdict')
    with op.batch_alter_table('panel_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_panel_session_period_start'))
    op.drop_table('panel_session')
