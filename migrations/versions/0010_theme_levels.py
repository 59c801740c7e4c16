"""Sub-themes on the web: the subtheme table (engine sub-themes and curated ones) and
theme_assignment.subtheme_id

Revision ID: 0010_theme_levels
Revises: 0007_uploads
Create Date: 2026-12-07 02:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0010_theme_levels'
down_revision = '0009_frozen_packs'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'subtheme',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('theme_id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('label', sa.String(length=200), nullable=False),
        sa.Column('curated_name', sa.String(length=200), nullable=True),
        sa.Column('keywords', sa.JSON(), nullable=True),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('hidden', sa.Boolean(), nullable=False),
        sa.Column('merged_into_id', sa.Integer(), nullable=True),
        sa.Column('first_run_id', sa.Integer(), nullable=True),
        sa.Column('last_run_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['theme_id'], ['theme.id'],
                                name=op.f('fk_subtheme_theme_id_theme'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['merged_into_id'], ['subtheme.id'],
                                name=op.f('fk_subtheme_merged_into_id_subtheme')),
        sa.ForeignKeyConstraint(['first_run_id'], ['analysis_run.id'],
                                name=op.f('fk_subtheme_first_run_id_analysis_run'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['last_run_id'], ['analysis_run.id'],
                                name=op.f('fk_subtheme_last_run_id_analysis_run'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_subtheme')),
        sa.UniqueConstraint('key', name=op.f('uq_subtheme_key')),
    )
    with op.batch_alter_table('subtheme', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_subtheme_theme_id'), ['theme_id'], unique=False)
    with op.batch_alter_table('theme_assignment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('subtheme_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_theme_assignment_subtheme_id_subtheme'),
                                    'subtheme', ['subtheme_id'], ['id'], ondelete='SET NULL')
        batch_op.create_index(batch_op.f('ix_theme_assignment_subtheme_id'), ['subtheme_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('theme_assignment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_theme_assignment_subtheme_id'))
        batch_op.drop_constraint(batch_op.f('fk_theme_assignment_subtheme_id_subtheme'),
                                 type_='foreignkey')
        batch_op.drop_column('subtheme_id')
    with op.batch_alter_table('subtheme', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_subtheme_theme_id'))
    op.drop_table('subtheme')
