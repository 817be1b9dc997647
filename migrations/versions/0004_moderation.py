"""Moderation: reports, the append-only moderation log, hiding, highlighting and pre-moderation on every
moderated contribution, pre-moderation per institution and per consultation, blocked accounts.

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

APPEND_ONLY_SQLITE = [
    "CREATE TRIGGER moderation_actions_no_update BEFORE UPDATE ON moderation_actions "
    "BEGIN SELECT RAISE(ABORT, 'the moderation log is append-only'); END",
    "CREATE TRIGGER moderation_actions_no_delete BEFORE DELETE ON moderation_actions "
    "BEGIN SELECT RAISE(ABORT, 'the moderation log is append-only'); END",
]
APPEND_ONLY_POSTGRESQL = [
    """CREATE FUNCTION moderation_actions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'the moderation log is append-only'; END $$""",
    "CREATE TRIGGER moderation_actions_no_change BEFORE UPDATE OR DELETE ON moderation_actions "
    "FOR EACH ROW EXECUTE FUNCTION moderation_actions_append_only()",
]


def _moderated_columns(batch_op, with_state: bool):
    if with_state:
        batch_op.add_column(sa.Column('moderation', sa.Enum('pending', 'approved', name='moderation', native_enum=False,
                                                            create_constraint=False, length=20),
                                      server_default='approved', nullable=False))
    batch_op.add_column(sa.Column('hidden_at', sa.DateTime(), nullable=True))
    batch_op.add_column(sa.Column('hidden_reason', sa.String(length=20), server_default='', nullable=False))
    batch_op.add_column(sa.Column('highlighted', sa.Boolean(), server_default=sa.false(), nullable=False))
    batch_op.add_column(sa.Column('off_topic', sa.Boolean(), server_default=sa.false(), nullable=False))


def upgrade():
    op.create_table('reports',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('item_kind', sa.String(length=20), nullable=False),
        sa.Column('item_id', sa.Integer(), nullable=False),
        sa.Column('reporter_id', sa.Integer(), nullable=False),
        sa.Column('reason', sa.Enum('abuse', 'personal_data', 'spam', 'off_topic', 'other', 'review', name='reportreason',
                                    native_enum=False, create_constraint=False, length=20), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('resolved_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['reporter_id'], ['users.id'], name=op.f('fk_reports_reporter_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_reports')),
    )
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.create_index('ix_reports_item', ['item_kind', 'item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reports_reporter_id'), ['reporter_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reports_resolved_at'), ['resolved_at'], unique=False)

    op.create_table('moderation_actions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('action', sa.Enum('hide', 'restore', 'approve', 'dismiss', 'highlight', 'unhighlight', 'off_topic',
                                    'on_topic', 'block', 'unblock', name='actionkind', native_enum=False,
                                    create_constraint=False, length=20), nullable=False),
        sa.Column('item_kind', sa.String(length=20), nullable=False),
        sa.Column('item_id', sa.Integer(), nullable=True),
        sa.Column('target_user_id', sa.Integer(), nullable=True),
        sa.Column('reason', sa.String(length=20), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('is_public', sa.Boolean(), nullable=False),
        sa.Column('moderator_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['moderator_id'], ['users.id'], name=op.f('fk_moderation_actions_moderator_id_users')),
        sa.ForeignKeyConstraint(['target_user_id'], ['users.id'], name=op.f('fk_moderation_actions_target_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_moderation_actions')),
    )
    with op.batch_alter_table('moderation_actions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_moderation_actions_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_moderation_actions_is_public'), ['is_public'], unique=False)
        batch_op.create_index(batch_op.f('ix_moderation_actions_target_user_id'), ['target_user_id'], unique=False)

    from participation.ops.schema_changes import commit_step, create_index_concurrently

    # Each large table's columns are committed on their own (metadata only on PostgreSQL 11+): its lock ends at once.
    commit_step()
    with op.batch_alter_table('comments', schema=None) as batch_op:
        _moderated_columns(batch_op, with_state=True)
    commit_step()
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        _moderated_columns(batch_op, with_state=False)
        batch_op.alter_column('moderation', server_default='approved', existing_nullable=False,
                              existing_type=sa.String(length=20))
    commit_step()

    with op.batch_alter_table('institutions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('premoderation', sa.Boolean(), server_default=sa.false(), nullable=False))
    commit_step()
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('premoderation', sa.Boolean(), server_default=sa.false(), nullable=False))
    commit_step()
    # Pre-moderation belongs to the institution now (every channel), no longer to its proposal settings.
    op.execute(
        "UPDATE institutions SET premoderation = "
        "(SELECT proposal_settings.premoderation FROM proposal_settings WHERE proposal_settings.institution_id = institutions.id) "
        "WHERE id IN (SELECT institution_id FROM proposal_settings WHERE premoderation)"
    )
    with op.batch_alter_table('proposal_settings', schema=None) as batch_op:
        batch_op.drop_column('premoderation')

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('blocked_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('blocked_until', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('block_reason', sa.String(length=20), server_default='', nullable=False))
    commit_step()

    dialect = op.get_bind().dialect.name
    for statement in APPEND_ONLY_POSTGRESQL if dialect == "postgresql" else APPEND_ONLY_SQLITE if dialect == "sqlite" else []:
        op.execute(statement)

    # Last, built concurrently: comments go on being written meanwhile.
    create_index_concurrently('ix_comments_moderation', 'comments', ['moderation'])


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS moderation_actions_no_change ON moderation_actions")
        op.execute("DROP FUNCTION IF EXISTS moderation_actions_append_only()")
    elif dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS moderation_actions_no_update")
        op.execute("DROP TRIGGER IF EXISTS moderation_actions_no_delete")
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('block_reason')
        batch_op.drop_column('blocked_until')
        batch_op.drop_column('blocked_at')
    with op.batch_alter_table('proposal_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('premoderation', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.execute(
        "UPDATE proposal_settings SET premoderation = "
        "(SELECT institutions.premoderation FROM institutions WHERE institutions.id = proposal_settings.institution_id)"
    )
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.drop_column('premoderation')
    with op.batch_alter_table('institutions', schema=None) as batch_op:
        batch_op.drop_column('premoderation')
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        for column in ('off_topic', 'highlighted', 'hidden_reason', 'hidden_at'):
            batch_op.drop_column(column)
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comments_moderation'))
        for column in ('off_topic', 'highlighted', 'hidden_reason', 'hidden_at', 'moderation'):
            batch_op.drop_column(column)
    op.drop_table('moderation_actions')
    op.drop_table('reports')
