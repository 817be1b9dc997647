"""The co-creation content that tests/test_route_roles.py walks (no tests here): a process in the ideas stage with the
author's idea, and one in drafting with the author's amendment and an invited member; municipality A runs both."""
from datetime import timedelta

from participation.clock import riga_today
from participation.cocreation import services
from participation.cocreation.models import AmendmentKind, MemberRole

DRAFT = "1. Suņus pastaigā ved pavadā.\n2. Noteikumi stājas spēkā nākamajā dienā."


def build(institution, coordinator, author, invited) -> dict:
    today = riga_today()
    dates = (today + timedelta(days=10), today + timedelta(days=40), today + timedelta(days=90))
    ideas = services.create_process(institution, coordinator, "Idejas", "Problēma.", *dates)
    idea = services.post_idea(ideas, author, "Autora ideja", "Teksts.")
    drafting = services.create_process(institution, coordinator, "Projekts", "Problēma.", *dates)
    services.publish_draft(drafting, coordinator, DRAFT)
    version = services.current_version(drafting.id)
    lineage = services.clauses_of(version.id)[0].lineage
    amendment = services.propose_amendment(drafting, lineage, author, AmendmentKind.REPLACE, "Suņus ved pavadā.", "Īsāk.")
    member = services.add_member(drafting, MemberRole.ADVISER, user=invited)
    return {"process_id": drafting.id, "cc_ideas": ideas.id, "idea_id": idea.id, "lineage": lineage,
            "amendment_id": amendment.id, "wg_member_id": member.id}
