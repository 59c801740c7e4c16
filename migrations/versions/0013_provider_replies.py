"""provider_reply: a provider's moderated public reply to a card or feedback entry

Revision ID: 0013_provider_replies
Revises: 0012_api_tokens
Create Date: 2026-12-07 02:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0013_provider_replies'
down_revision = '0012_api_tokens'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'provider_reply',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('card_id', sa.Integer(), nullable=True),
        sa.Column('feedback_entry_id', sa.Integer(), nullable=True),
        sa.Column('provider_id', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=True),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('body_redacted', sa.Text(), nullable=True),
        sa.Column('signed_name', sa.String(length=200), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('moderation_state', sa.String(length=20), nullable=False),
        sa.Column('moderation_reason', sa.Text(), nullable=True),
        sa.Column('moderated_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('moderated_by_id', sa.Integer(), nullable=True),
        sa.Column('safeguarding_flagged', sa.Boolean(), nullable=False),
        sa.Column('safeguarding_categories', sa.JSON(), nullable=True),
        sa.Column('safeguarding_outcome', sa.String(length=20), nullable=True),
        sa.Column('safeguarding_reviewed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('safeguarding_reviewed_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint('(card_id IS NULL) <> (feedback_entry_id IS NULL)',
                           name=op.f('ck_provider_reply_one_subject')),
        sa.ForeignKeyConstraint(['card_id'], ['action_card.id'],
                                name=op.f('fk_provider_reply_card_id_action_card'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['feedback_entry_id'], ['feedback_entry.id'],
                                name=op.f('fk_provider_reply_feedback_entry_id_feedback_entry'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['provider_id'], ['organisation.id'],
                                name=op.f('fk_provider_reply_provider_id_organisation')),
        sa.ForeignKeyConstraint(['author_id'], ['user.id'],
                                name=op.f('fk_provider_reply_author_id_user'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['moderated_by_id'], ['user.id'],
                                name=op.f('fk_provider_reply_moderated_by_id_user'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['safeguarding_reviewed_by_id'], ['user.id'],
                                name=op.f('fk_provider_reply_safeguarding_reviewed_by_id_user'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_provider_reply')),
    )
    with op.batch_alter_table('provider_reply', schema=None) as batch_op:
        for column in ('card_id', 'feedback_entry_id', 'provider_id', 'created_at',
                       'moderation_state', 'safeguarding_flagged'):
            batch_op.create_index(batch_op.f(f'ix_provider_reply_{column}'), [column],
                                  unique=False)


def downgrade():
    with op.batch_alter_table('provider_reply', schema=None) as batch_op:
        for column in ('safeguarding_flagged', 'moderation_state', 'created_at', 'provider_id',
                       'feedback_entry_id', 'card_id'):
            batch_op.drop_index(batch_op.f(f'ix_provider_reply_{column}'))
    op.drop_table('provider_reply')
