"""For the benchmark (bench/) and the query-count tests: a co-creation process in drafting whose one clause has many
amendments, written with set-based inserts into an already seeded database.

    from participation.cocreation.bench import seed_cocreation
    pages = seed_cocreation(engine)            # [(name, path), ...] to load, e.g. into bench.run.pages_for
"""
from datetime import datetime, timedelta

import sqlalchemy as sa

from participation.cocreation.models import (
    Amendment,
    AmendmentKind,
    AmendmentState,
    Clause,
    CoCreation,
    EventKind,
    Idea,
    RegulationVersion,
    Stage,
    TimelineEvent,
)

CLAUSES = [
    ("1.", "Noteikumi nosaka mājdzīvnieku turēšanas kārtību novada teritorijā."),
    ("2.", "Suņus publiskās vietās ved pavadā, kuras garums nepārsniedz divus metrus."),
    ("3.", "Suņu īpašnieki savāc sava suņa ekskrementus."),
    ("4.", "Suņu pastaigu laukumos suņus drīkst palaist bez pavadas."),
    ("5.", "Noteikumi stājas spēkā nākamajā dienā pēc to publicēšanas."),
]


def seed_process(connection: sa.Connection, institution_id: int, user_ids: list[int], amendments: int = 1000,
                 ideas: int = 50, now: datetime | None = None) -> tuple[int, int]:
    """A process in drafting with CLAUSES, `ideas` ideas and `amendments` amendments to its second clause (authors taken
    in turn from `user_ids`). Returns (process id, the busy clause's lineage)."""
    now = now or datetime.utcnow().replace(microsecond=0)
    today = now.date()
    process_id = connection.execute(sa.insert(CoCreation.__table__).values(
        institution_id=institution_id, title="Mājdzīvnieku turēšanas noteikumi (mērījums)", problem="Suņi bez pavadas.",
        stage=Stage.DRAFTING.value, ideas_until=today - timedelta(days=5), drafting_until=today + timedelta(days=30),
        adoption_planned_on=today + timedelta(days=90), decision_number="", stopped_reason="", stage_changed_at=now,
        created_by_id=user_ids[0], created_at=now).returning(CoCreation.__table__.c.id)).scalar_one()
    version_id = connection.execute(sa.insert(RegulationVersion.__table__).values(
        process_id=process_id, number=1, note="", created_at=now).returning(RegulationVersion.__table__.c.id)).scalar_one()
    clause_ids = []
    for position, (number, text) in enumerate(CLAUSES):
        clause_id = connection.execute(sa.insert(Clause.__table__).values(
            version_id=version_id, lineage=0, position=position, number=number, heading="", text=text)
            .returning(Clause.__table__.c.id)).scalar_one()
        connection.execute(sa.update(Clause.__table__).where(Clause.__table__.c.id == clause_id).values(lineage=clause_id))
        clause_ids.append(clause_id)
    busy = clause_ids[1]
    contribution = dict(group_id=None, show_name=True, offline_source=None, offline_name="", received_on=None,
                        moderation="approved", hidden_at=None, hidden_reason="", highlighted=False, off_topic=False)
    if ideas:
        connection.execute(sa.insert(Idea.__table__), [
            dict(process_id=process_id, author_id=user_ids[i % len(user_ids)], title=f"Ideja {i + 1}",
                 text="Ierīkot vairāk suņu pastaigu laukumu.", support_count=i % 7, case_id=None,
                 created_at=now - timedelta(days=10, minutes=i), **contribution) for i in range(ideas)])
    if amendments:
        connection.execute(sa.insert(Amendment.__table__), [
            dict(process_id=process_id, lineage=busy, base_clause_id=busy, kind=AmendmentKind.REPLACE.value,
                 text=f"Suņus publiskās vietās ved pavadā, kuras garums nepārsniedz {2 + i % 5} metrus.",
                 reason="Lai suņiem būtu vairāk brīvības.", state=AmendmentState.EVALUATING.value, taken_text="",
                 result_lineage=None, decided_at=None, endorsement_count=i % 11, case_id=None,
                 author_id=user_ids[i % len(user_ids)], created_at=now - timedelta(minutes=amendments - i), **contribution)
            for i in range(amendments)])
    connection.execute(sa.insert(TimelineEvent.__table__), [
        dict(process_id=process_id, kind=EventKind.STARTED.value, stage=Stage.IDEAS.value, idea_id=None, amendment_id=None,
             version_number=None, note="", created_at=now - timedelta(days=20)),
        dict(process_id=process_id, kind=EventKind.DRAFT.value, stage=Stage.DRAFTING.value, idea_id=None, amendment_id=None,
             version_number=1, note="", created_at=now - timedelta(days=4)),
    ])
    return process_id, busy


def seed_cocreation(engine: sa.Engine, amendments: int = 1000) -> list[tuple[str, str]]:
    """Into the bench database (after bench.seed): a process of the first municipality whose one clause has
    `amendments` amendments. Returns the pages to load."""
    with engine.begin() as connection:
        institution_id = connection.execute(sa.text(
            "SELECT id FROM institutions WHERE kind = 'municipality' ORDER BY id LIMIT 1")).scalar_one()
        user_ids = list(connection.execute(sa.text("SELECT id FROM users ORDER BY id LIMIT 500")).scalars())
        process_id, lineage = seed_process(connection, institution_id, user_ids, amendments)
    return [
        ("Co-creation process page (drafting, clauses with counts)", f"/cocreation/{process_id}"),
        (f"Co-creation: a clause with {amendments:,} amendments", f"/cocreation/{process_id}/clauses/{lineage}"),
    ]


__all__ = ["seed_cocreation", "seed_process"]
