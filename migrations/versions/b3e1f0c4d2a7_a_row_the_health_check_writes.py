"""A row the health check writes, so /healthz knows the database takes writes (not read-only, not full)

Revision ID: b3e1f0c4d2a7
Revises: 7c41d2e9a0b3
Create Date: 2026-12-02 08:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b3e1f0c4d2a7'
down_revision = '7c41d2e9a0b3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('health_checks',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('checked_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_health_checks'))
    )


def downgrade():
    op.drop_table('health_checks')
