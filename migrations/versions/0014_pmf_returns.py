"""performance_return, return_value, return_file: Performance Monitoring Form returns

Revision ID: 0014_pmf_returns
Revises: 0013_provider_replies
Create Date: 2026-12-07 04:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0014_pmf_returns'
down_revision = '0013_provider_replies'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'performance_return',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('contract_id', sa.Integer(), nullable=False),
        sa.Column('period_kind', sa.String(length=10), nullable=False),
        sa.Column('period_start', sa.Date(), nullable=False),
        sa.Column('period_end', sa.Date(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('heard', sa.Text(), nullable=True),
        sa.Column('changed', sa.Text(), nullable=True),
        sa.Column('safeguarding_referrals', sa.Integer(), nullable=True),
        sa.Column('complaints', sa.Integer(), nullable=True),
        sa.Column('correction_reason', sa.Text(), nullable=True),
        sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('submitted_by_id', sa.Integer(), nullable=True),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('safeguarding_referrals >= 0',
                           name=op.f('ck_performance_return_referrals')),
        sa.CheckConstraint('complaints >= 0', name=op.f('ck_performance_return_complaints')),
        sa.ForeignKeyConstraint(['contract_id'], ['contract.id'],
                                name=op.f('fk_performance_return_contract_id_contract'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['submitted_by_id'], ['user.id'],
                                name=op.f('fk_performance_return_submitted_by_id_user'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'],
                                name=op.f('fk_performance_return_decided_by_id_user'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_performance_return')),
        sa.UniqueConstraint('contract_id', 'period_kind', 'period_start',
                            name=op.f('uq_performance_return_contract_id')),
    )
    with op.batch_alter_table('performance_return', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_performance_return_contract_id'), ['contract_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_performance_return_status'), ['status'],
                              unique=False)
    op.create_table(
        'return_value',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('return_id', sa.Integer(), nullable=False),
        sa.Column('kpi_id', sa.Integer(), nullable=False),
        sa.Column('value', sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column('narrative', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['return_id'], ['performance_return.id'],
                                name=op.f('fk_return_value_return_id_performance_return'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['kpi_id'], ['kpi.id'], name=op.f('fk_return_value_kpi_id_kpi'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_return_value')),
        sa.UniqueConstraint('return_id', 'kpi_id', name=op.f('uq_return_value_return_id')),
    )
    with op.batch_alter_table('return_value', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_return_value_return_id'), ['return_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_return_value_kpi_id'), ['kpi_id'], unique=False)
    op.create_table(
        'return_file',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('return_id', sa.Integer(), nullable=False),
        sa.Column('filename', sa.String(length=255), nullable=False),
        sa.Column('stored_name', sa.String(length=80), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
        sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['return_id'], ['performance_return.id'],
                                name=op.f('fk_return_file_return_id_performance_return'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['uploaded_by_id'], ['user.id'],
                                name=op.f('fk_return_file_uploaded_by_id_user'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_return_file')),
        sa.UniqueConstraint('stored_name', name=op.f('uq_return_file_stored_name')),
    )
    with op.batch_alter_table('return_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_return_file_return_id'), ['return_id'], unique=False)


def downgrade():
    with op.batch_alter_table('return_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_return_file_return_id'))
    op.drop_table('return_file')
    with op.batch_alter_table('return_value', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_return_value_kpi_id'))
        batch_op.drop_index(batch_op.f('ix_return_value_return_id'))
    op.drop_table('return_value')
    with op.batch_alter_table('performance_return', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_performance_return_status'))
        batch_op.drop_index(batch_op.f('ix_performance_return_contract_id'))
    op.drop_table('performance_return')
