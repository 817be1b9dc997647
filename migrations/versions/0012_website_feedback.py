"""Website feedback (issue 15): registered sites, the feedback their visitors leave, and the counters of the figures.

Revision ID: 0012
Revises: 0011
"""
import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "feedback_sites",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("origins", sa.Text(), nullable=False),
        sa.Column("path_prefixes", sa.Text(), nullable=False),
        sa.Column("question_helped", sa.String(length=200), nullable=False),
        sa.Column("question_text", sa.String(length=200), nullable=False),
        sa.Column("ask_email", sa.Boolean(), nullable=False),
        sa.Column("languages", sa.String(length=20), nullable=False),
        sa.Column("premoderation", sa.Boolean(), nullable=False),
        sa.Column("paused_at", sa.DateTime(), nullable=True),
        sa.Column("removed_at", sa.DateTime(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_feedback_sites_created_by_id_users")),
        sa.ForeignKeyConstraint(["institution_id"], ["institutions.id"], name=op.f("fk_feedback_sites_institution_id_institutions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_sites")),
        sa.UniqueConstraint("key", name=op.f("uq_feedback_sites_key")),
    )
    op.create_index(op.f("ix_feedback_sites_institution_id"), "feedback_sites", ["institution_id"])
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("page_url", sa.String(length=500), nullable=False),
        sa.Column("helped", sa.Boolean(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("email", sa.String(length=255), nullable=False),
        sa.Column("wants_answer", sa.Boolean(), nullable=False),
        sa.Column("lang", sa.String(length=5), nullable=False),
        sa.Column("state", sa.Enum("received", "noted", "case", name="feedbackstate", native_enum=False, create_constraint=False, length=20), nullable=False),
        sa.Column("publication", sa.Enum("private", "requested", "published", name="publication", native_enum=False, create_constraint=False, length=20), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("nonce", sa.String(length=32), nullable=False),
        sa.Column("counted", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("moderation", sa.Enum("pending", "approved", name="moderation", native_enum=False, create_constraint=False, length=20),
                  server_default="approved", nullable=False),
        sa.Column("hidden_at", sa.DateTime(), nullable=True),
        sa.Column("hidden_reason", sa.String(length=20), server_default="", nullable=False),
        sa.Column("highlighted", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("off_topic", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_feedback_author_id_users")),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_feedback_case_id_cases")),
        sa.ForeignKeyConstraint(["institution_id"], ["institutions.id"], name=op.f("fk_feedback_institution_id_institutions")),
        sa.ForeignKeyConstraint(["site_id"], ["feedback_sites.id"], name=op.f("fk_feedback_site_id_feedback_sites")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback")),
        sa.UniqueConstraint("nonce", name=op.f("uq_feedback_nonce")),
    )
    op.create_index(op.f("ix_feedback_case_id"), "feedback", ["case_id"])
    op.create_index(op.f("ix_feedback_moderation"), "feedback", ["moderation"])
    op.create_index("ix_feedback_institution_order", "feedback", ["institution_id", "created_at", "id"])
    op.create_index("ix_feedback_site_order", "feedback", ["site_id", "created_at", "id"])
    op.create_table(
        "feedback_pages",
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("page_url", sa.String(length=500), nullable=False),
        sa.Column("responses", sa.Integer(), nullable=False),
        sa.Column("helped", sa.Integer(), nullable=False),
        sa.Column("answered_question", sa.Integer(), nullable=False),
        sa.Column("share", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["site_id"], ["feedback_sites.id"], name=op.f("fk_feedback_pages_site_id_feedback_sites")),
        sa.PrimaryKeyConstraint("site_id", "page_url", name=op.f("pk_feedback_pages")),
    )
    op.create_index("ix_feedback_pages_share", "feedback_pages", ["site_id", "share", "page_url"])
    op.create_table(
        "feedback_weeks",
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("page_url", sa.String(length=500), nullable=False),
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("responses", sa.Integer(), nullable=False),
        sa.Column("helped", sa.Integer(), nullable=False),
        sa.Column("answered_question", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["site_id"], ["feedback_sites.id"], name=op.f("fk_feedback_weeks_site_id_feedback_sites")),
        sa.PrimaryKeyConstraint("site_id", "page_url", "week_start", name=op.f("pk_feedback_weeks")),
    )
    op.create_table(
        "feedback_words",
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("page_url", sa.String(length=500), nullable=False),
        sa.Column("word", sa.String(length=60), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["site_id"], ["feedback_sites.id"], name=op.f("fk_feedback_words_site_id_feedback_sites")),
        sa.PrimaryKeyConstraint("site_id", "page_url", "word", name=op.f("pk_feedback_words")),
    )
    op.create_index("ix_feedback_words_top", "feedback_words", ["site_id", "page_url", "count"])


def downgrade():
    op.drop_index("ix_feedback_words_top", table_name="feedback_words")
    op.drop_table("feedback_words")
    op.drop_table("feedback_weeks")
    op.drop_index("ix_feedback_pages_share", table_name="feedback_pages")
    op.drop_table("feedback_pages")
    op.drop_index("ix_feedback_site_order", table_name="feedback")
    op.drop_index("ix_feedback_institution_order", table_name="feedback")
    op.drop_index(op.f("ix_feedback_moderation"), table_name="feedback")
    op.drop_index(op.f("ix_feedback_case_id"), table_name="feedback")
    op.drop_table("feedback")
    op.drop_index(op.f("ix_feedback_sites_institution_id"), table_name="feedback_sites")
    op.drop_table("feedback_sites")
