"""Young Inspectors' reports: inspection_standard (with the five default standards),
inspection, inspection_score, inspection_item (a report's "should change" items, each a
feedback entry) and inspection_file

Revision ID: 0017_inspections
Revises: 0016_collected_by
Create Date: 2026-12-07 04:40:00

"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


revision = '0017_inspections'
down_revision = '0016_collected_by'
branch_labels = None
depends_on = None

DEFAULT_STANDARDS = (
    ("Welcome", "How young people are greeted and made to feel when they arrive."),
    ("Information", "Whether young people can find and understand what the service offers and "
                    "what will happen."),
    ("Being listened to", "Whether staff listen, take young people seriously and act on what "
                          "they say."),
    ("Environment", "Whether the place feels safe, comfortable, clean and right for young "
                    "people."),
    ("Accessibility", "Whether everyone can get there and use the service, whatever their needs, "
                      "language or disability."),
)


def upgrade():
    standard = op.create_table(
        'inspection_standard',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('description', sa.String(length=300), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_inspection_standard')),
        sa.UniqueConstraint('name', name=op.f('uq_inspection_standard_name')),
    )
    op.create_table(
        'inspection',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('service_id', sa.Integer(), nullable=False),
        sa.Column('visit_date', sa.Date(), nullable=False),
        sa.Column('group_name', sa.String(length=120), nullable=False),
        sa.Column('inspectors', sa.Integer(), nullable=False),
        sa.Column('what_was_good', sa.Text(), nullable=False),
        sa.Column('what_was_good_redacted', sa.Text(), nullable=False),
        sa.Column('submission_token', sa.String(length=64), nullable=True),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('response', sa.Text(), nullable=True),
        sa.Column('response_by_id', sa.Integer(), nullable=True),
        sa.Column('response_at', sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint('inspectors BETWEEN 1 AND 50', name=op.f('ck_inspection_inspectors')),
        sa.ForeignKeyConstraint(['service_id'], ['service.id'],
                                name=op.f('fk_inspection_service_id_service')),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'],
                                name=op.f('fk_inspection_recorded_by_id_user'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['response_by_id'], ['user.id'],
                                name=op.f('fk_inspection_response_by_id_user'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_inspection')),
        sa.UniqueConstraint('submission_token', name=op.f('uq_inspection_submission_token')),
    )
    with op.batch_alter_table('inspection', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspection_service_id'), ['service_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inspection_visit_date'), ['visit_date'], unique=False)
    op.create_table(
        'inspection_score',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('inspection_id', sa.Integer(), nullable=False),
        sa.Column('standard_id', sa.Integer(), nullable=False),
        sa.Column('score', sa.Integer(), nullable=False),
        sa.CheckConstraint('score BETWEEN 1 AND 4', name=op.f('ck_inspection_score_score')),
        sa.ForeignKeyConstraint(['inspection_id'], ['inspection.id'],
                                name=op.f('fk_inspection_score_inspection_id_inspection'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['standard_id'], ['inspection_standard.id'],
                                name=op.f('fk_inspection_score_standard_id_inspection_standard')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_inspection_score')),
        sa.UniqueConstraint('inspection_id', 'standard_id',
                            name=op.f('uq_inspection_score_inspection_id')),
    )
    with op.batch_alter_table('inspection_score', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspection_score_inspection_id'), ['inspection_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_inspection_score_standard_id'), ['standard_id'],
                              unique=False)
    op.create_table(
        'inspection_item',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('inspection_id', sa.Integer(), nullable=False),
        sa.Column('feedback_entry_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['inspection_id'], ['inspection.id'],
                                name=op.f('fk_inspection_item_inspection_id_inspection'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['feedback_entry_id'], ['feedback_entry.id'],
                                name=op.f('fk_inspection_item_feedback_entry_id_feedback_entry'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_inspection_item')),
        sa.UniqueConstraint('feedback_entry_id',
                            name=op.f('uq_inspection_item_feedback_entry_id')),
    )
    with op.batch_alter_table('inspection_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspection_item_inspection_id'), ['inspection_id'],
                              unique=False)
    op.create_table(
        'inspection_file',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('inspection_id', sa.Integer(), nullable=False),
        sa.Column('stored_name', sa.String(length=64), nullable=False),
        sa.Column('filename', sa.String(length=255), nullable=False),
        sa.Column('content_type', sa.String(length=80), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['inspection_id'], ['inspection.id'],
                                name=op.f('fk_inspection_file_inspection_id_inspection'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['uploaded_by_id'], ['user.id'],
                                name=op.f('fk_inspection_file_uploaded_by_id_user'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_inspection_file')),
        sa.UniqueConstraint('stored_name', name=op.f('uq_inspection_file_stored_name')),
    )
    with op.batch_alter_table('inspection_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspection_file_inspection_id'), ['inspection_id'],
                              unique=False)
    now = datetime.now(timezone.utc)
    op.bulk_insert(standard, [
        {"name": name, "description": description, "position": n, "retired_at": None,
         "created_at": now} for n, (name, description) in enumerate(DEFAULT_STANDARDS)])


def downgrade():
    with op.batch_alter_table('inspection_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspection_file_inspection_id'))
    op.drop_table('inspection_file')
    with op.batch_alter_table('inspection_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspection_item_inspection_id'))
    op.drop_table('inspection_item')
    with op.batch_alter_table('inspection_score', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspection_score_standard_id'))
        batch_op.drop_index(batch_op.f('ix_inspection_score_inspection_id'))
    op.drop_table('inspection_score')
    with op.batch_alter_table('inspection', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inspection_visit_date'))
        batch_op.drop_index(batch_op.f('ix_inspection_service_id'))
    op.drop_table('inspection')
    op.drop_table('inspection_standard')
