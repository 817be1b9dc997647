"""Co-created municipal regulations (issue 16): processes, working groups, stages, ideas, amendments, credits.

Revision ID: 0014
Revises: 0013
"""
import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('cocreations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('problem', sa.Text(), nullable=False),
    sa.Column('stage', sa.Enum('ideas', 'drafting', 'consultation', 'adopted', 'stopped', name='stage', native_enum=False, length=20), nullable=False),
    sa.Column('ideas_until', sa.Date(), nullable=False),
    sa.Column('drafting_until', sa.Date(), nullable=False),
    sa.Column('adoption_planned_on', sa.Date(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=True),
    sa.Column('decision_number', sa.String(length=60), nullable=False),
    sa.Column('decision_on', sa.Date(), nullable=True),
    sa.Column('stopped_reason', sa.Text(), nullable=False),
    sa.Column('stage_changed_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_cocreations_consultation_id_consultations')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_cocreations_created_by_id_users')),
    sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'], name=op.f('fk_cocreations_institution_id_institutions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cocreations')),
    sa.UniqueConstraint('consultation_id', name=op.f('uq_cocreations_consultation_id'))
    )
    with op.batch_alter_table('cocreations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cocreations_institution_id'), ['institution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cocreations_stage'), ['stage'], unique=False)

    op.create_table('cocreation_ideas',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('support_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('lineage', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('show_name', sa.Boolean(), nullable=False),
    sa.Column('offline_source', sa.Enum('letter', 'email', 'in_person', 'phone', name='offlinesource', native_enum=False, length=20), nullable=True),
    sa.Column('offline_name', sa.String(length=200), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('moderation', sa.Enum('pending', 'approved', name='moderation', native_enum=False, length=20), server_default='approved', nullable=False),
    sa.Column('hidden_at', sa.DateTime(), nullable=True),
    sa.Column('hidden_reason', sa.String(length=20), server_default='', nullable=False),
    sa.Column('highlighted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('off_topic', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_cocreation_ideas_author_id_users')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_cocreation_ideas_case_id_cases')),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_cocreation_ideas_group_id_groups')),
    sa.ForeignKeyConstraint(['process_id'], ['cocreations.id'], name=op.f('fk_cocreation_ideas_process_id_cocreations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cocreation_ideas')),
    sa.UniqueConstraint('case_id', name=op.f('uq_cocreation_ideas_case_id'))
    )
    with op.batch_alter_table('cocreation_ideas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cocreation_ideas_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cocreation_ideas_moderation'), ['moderation'], unique=False)
        batch_op.create_index('ix_cocreation_ideas_order', ['process_id', 'id'], unique=False)

    op.create_table('cocreation_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('role', sa.Enum('coordinator', 'member', 'adviser', name='memberrole', native_enum=False, length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_cocreation_members_group_id_groups')),
    sa.ForeignKeyConstraint(['process_id'], ['cocreations.id'], name=op.f('fk_cocreation_members_process_id_cocreations')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_cocreation_members_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cocreation_members')),
    sa.UniqueConstraint('process_id', 'group_id', name='uq_cocreation_members_group'),
    sa.UniqueConstraint('process_id', 'user_id', name='uq_cocreation_members_user')
    )
    with op.batch_alter_table('cocreation_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cocreation_members_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cocreation_members_process_id'), ['process_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cocreation_members_user_id'), ['user_id'], unique=False)

    op.create_table('cocreation_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['process_id'], ['cocreations.id'], name=op.f('fk_cocreation_versions_process_id_cocreations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cocreation_versions')),
    sa.UniqueConstraint('process_id', 'number', name=op.f('uq_cocreation_versions_process_id'))
    )
    with op.batch_alter_table('cocreation_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cocreation_versions_process_id'), ['process_id'], unique=False)

    op.create_table('cocreation_clauses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('lineage', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('heading', sa.String(length=255), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['cocreation_versions.id'], name=op.f('fk_cocreation_clauses_version_id_cocreation_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cocreation_clauses'))
    )
    with op.batch_alter_table('cocreation_clauses', schema=None) as batch_op:
        batch_op.create_index('ix_cocreation_clauses_lineage', ['lineage', 'version_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cocreation_clauses_version_id'), ['version_id'], unique=False)

    op.create_table('cocreation_idea_supports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('idea_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['idea_id'], ['cocreation_ideas.id'], name=op.f('fk_cocreation_idea_supports_idea_id_cocreation_ideas')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_cocreation_idea_supports_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cocreation_idea_supports')),
    sa.UniqueConstraint('idea_id', 'user_id', name=op.f('uq_cocreation_idea_supports_idea_id'))
    )
    with op.batch_alter_table('cocreation_idea_supports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cocreation_idea_supports_idea_id'), ['idea_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cocreation_idea_supports_user_id'), ['user_id'], unique=False)

    op.create_table('cocreation_amendments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('lineage', sa.Integer(), nullable=False),
    sa.Column('base_clause_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('replace', 'add_after', 'delete', name='amendmentkind', native_enum=False, length=20), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('state', sa.Enum('evaluating', 'accepted', 'partly_accepted', 'rejected', 'withdrawn', name='amendmentstate', native_enum=False, length=20), nullable=False),
    sa.Column('taken_text', sa.Text(), nullable=False),
    sa.Column('result_lineage', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('endorsement_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('show_name', sa.Boolean(), nullable=False),
    sa.Column('offline_source', sa.Enum('letter', 'email', 'in_person', 'phone', name='offlinesource', native_enum=False, length=20), nullable=True),
    sa.Column('offline_name', sa.String(length=200), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('moderation', sa.Enum('pending', 'approved', name='moderation', native_enum=False, length=20), server_default='approved', nullable=False),
    sa.Column('hidden_at', sa.DateTime(), nullable=True),
    sa.Column('hidden_reason', sa.String(length=20), server_default='', nullable=False),
    sa.Column('highlighted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('off_topic', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_cocreation_amendments_author_id_users')),
    sa.ForeignKeyConstraint(['base_clause_id'], ['cocreation_clauses.id'], name=op.f('fk_cocreation_amendments_base_clause_id_cocreation_clauses')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_cocreation_amendments_case_id_cases')),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_cocreation_amendments_group_id_groups')),
    sa.ForeignKeyConstraint(['process_id'], ['cocreations.id'], name=op.f('fk_cocreation_amendments_process_id_cocreations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cocreation_amendments')),
    sa.UniqueConstraint('case_id', name=op.f('uq_cocreation_amendments_case_id'))
    )
    with op.batch_alter_table('cocreation_amendments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cocreation_amendments_author_id'), ['author_id'], unique=False)
        batch_op.create_index('ix_cocreation_amendments_clause_order', ['lineage', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cocreation_amendments_moderation'), ['moderation'], unique=False)
        batch_op.create_index('ix_cocreation_amendments_process', ['process_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cocreation_amendments_state'), ['state'], unique=False)

    op.create_table('cocreation_endorsements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('amendment_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['amendment_id'], ['cocreation_amendments.id'], name=op.f('fk_cocreation_endorsements_amendment_id_cocreation_amendments')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_cocreation_endorsements_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cocreation_endorsements')),
    sa.UniqueConstraint('amendment_id', 'user_id', name=op.f('uq_cocreation_endorsements_amendment_id'))
    )
    with op.batch_alter_table('cocreation_endorsements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cocreation_endorsements_amendment_id'), ['amendment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cocreation_endorsements_user_id'), ['user_id'], unique=False)

    op.create_table('cocreation_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('started', 'stage', 'draft', 'version', 'idea', 'idea_answered', 'amendment', 'decision', 'withdrawn', 'consultation', 'adopted', 'stopped', name='eventkind', native_enum=False, length=20), nullable=False),
    sa.Column('stage', sa.Enum('ideas', 'drafting', 'consultation', 'adopted', 'stopped', name='stage', native_enum=False, length=20), nullable=False),
    sa.Column('idea_id', sa.Integer(), nullable=True),
    sa.Column('amendment_id', sa.Integer(), nullable=True),
    sa.Column('version_number', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['amendment_id'], ['cocreation_amendments.id'], name=op.f('fk_cocreation_events_amendment_id_cocreation_amendments')),
    sa.ForeignKeyConstraint(['idea_id'], ['cocreation_ideas.id'], name=op.f('fk_cocreation_events_idea_id_cocreation_ideas')),
    sa.ForeignKeyConstraint(['process_id'], ['cocreations.id'], name=op.f('fk_cocreation_events_process_id_cocreations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cocreation_events'))
    )
    with op.batch_alter_table('cocreation_events', schema=None) as batch_op:
        batch_op.create_index('ix_cocreation_events_order', ['process_id', 'created_at', 'id'], unique=False)


def downgrade():
    op.drop_table('cocreation_events')
    op.drop_table('cocreation_endorsements')
    op.drop_table('cocreation_amendments')
    op.drop_table('cocreation_idea_supports')
    op.drop_table('cocreation_clauses')
    op.drop_table('cocreation_versions')
    op.drop_table('cocreation_members')
    op.drop_table('cocreation_ideas')
    op.drop_table('cocreations')
