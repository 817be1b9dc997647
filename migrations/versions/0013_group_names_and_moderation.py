"""Groups (issue 14, item 5): a name unique ignoring case and diacritics (groups.name_key, backfilled), moderation like
every contribution (reportable, hideable), and the mark of a group a platform administrator confirmed.

Revision ID: 0013
Revises: 0012
"""
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def _name_key(name: str) -> str:
    """As participation.groups.models.name_key (copied: a migration keeps the rule of its day)."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(unicodedata.normalize("NFKC", bare).casefold().split())


def upgrade():
    with op.batch_alter_table("groups") as batch:
        batch.add_column(sa.Column("name_key", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("moderation", sa.Enum("pending", "approved", name="moderation", native_enum=False,
                                                         create_constraint=False, length=20),
                                   server_default="approved", nullable=False))
        batch.add_column(sa.Column("hidden_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("hidden_reason", sa.String(length=20), server_default="", nullable=False))
        batch.add_column(sa.Column("highlighted", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch.add_column(sa.Column("off_topic", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch.add_column(sa.Column("verified_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("verified_by_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(op.f("fk_groups_verified_by_id_users"), "users", ["verified_by_id"], ["id"])
    # The foreign key locked users against writes: committed before the backfill, so residents can go on signing up.
    from participation.ops.schema_changes import commit_step

    commit_step()
    # Backfill: groups that already share a key keep their names; the later ones get a key of their own (their id),
    # so the unique index can be built and a moderator can still look at them.
    connection = op.get_bind()
    groups = sa.table("groups", sa.column("id", sa.Integer), sa.column("name", sa.String), sa.column("name_key", sa.String))
    seen = set()
    for group_id, name in connection.execute(sa.select(groups.c.id, groups.c.name).order_by(groups.c.id)).all():
        key = _name_key(name)
        if key in seen:
            key = f"{key[:180]} #{group_id}"
        seen.add(key)
        connection.execute(groups.update().where(groups.c.id == group_id).values(name_key=key))
    with op.batch_alter_table("groups") as batch:
        batch.alter_column("name_key", existing_type=sa.String(length=200), nullable=False)
        batch.create_index(op.f("ix_groups_name_key"), ["name_key"], unique=True)
        batch.create_index(op.f("ix_groups_moderation"), ["moderation"])


def downgrade():
    with op.batch_alter_table("groups") as batch:
        batch.drop_index(op.f("ix_groups_moderation"))
        batch.drop_index(op.f("ix_groups_name_key"))
        batch.drop_constraint(op.f("fk_groups_verified_by_id_users"), type_="foreignkey")
        for column in ("verified_by_id", "verified_at", "off_topic", "highlighted", "hidden_reason", "hidden_at", "moderation",
                       "name_key"):
            batch.drop_column(column)
