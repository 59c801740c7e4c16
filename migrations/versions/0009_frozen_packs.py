"""frozen_pack: a held review's pack as it was shown, with who froze it and when; the
packs kept in contract_review.pack_snapshot move there (their digest is empty until the
application first reads and checks them)

Revision ID: 0009_frozen_packs
Revises: 0007_uploads
Create Date: 2026-12-07 01:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0009_frozen_packs'
down_revision = '0007_uploads'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'frozen_pack',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('review_id', sa.Integer(), nullable=False),
        sa.Column('pack', sa.JSON(), nullable=False),
        sa.Column('digest', sa.String(length=64), nullable=True),
        sa.Column('source', sa.String(length=20), nullable=False),
        sa.Column('frozen_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('frozen_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['review_id'], ['contract_review.id'],
                                name=op.f('fk_frozen_pack_review_id_contract_review'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['frozen_by_id'], ['user.id'],
                                name=op.f('fk_frozen_pack_frozen_by_id_user'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_frozen_pack')),
        sa.UniqueConstraint('review_id', name=op.f('uq_frozen_pack_review_id')),
    )
    # Packs kept by earlier versions when a meeting was recorded: they are what the
    # meeting saw, so they are kept (as "legacy", checked on first read).
    op.execute(
        "INSERT INTO frozen_pack (review_id, pack, digest, source, frozen_at, frozen_by_id) "
        "SELECT id, pack_snapshot, NULL, 'legacy', updated_at, NULL FROM contract_review "
        "WHERE pack_snapshot IS NOT NULL AND status <> 'draft'")
    if op.get_bind().dialect.name == 'sqlite':
        # SQLite 3.35+ drops the column in place. A batch "move and copy" would drop and
        # recreate contract_review, and with foreign keys on, dropping it deletes every
        # frozen pack, KPI return and action of the reviews (ON DELETE CASCADE).
        op.execute('ALTER TABLE contract_review DROP COLUMN pack_snapshot')
    else:
        op.drop_column('contract_review', 'pack_snapshot')


def downgrade():
    op.add_column('contract_review', sa.Column('pack_snapshot', sa.JSON(), nullable=True))
    op.execute(
        "UPDATE contract_review SET pack_snapshot = (SELECT pack FROM frozen_pack "
        "WHERE frozen_pack.review_id = contract_review.id)")
    op.drop_table('frozen_pack')
