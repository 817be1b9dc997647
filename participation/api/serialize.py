"""Items as the API sends them: plain dicts in the shapes of `schemas.py`, with what a signed-out reader's page
withholds withheld here too (a hidden contribution's text and the answer that may quote it, a hidden group's name, the
name of a person who asked to be a private person)."""
from participation.consultations.models import comment_number
from participation.institutions.figures import Figures
from participation.urls import absolute_url


def institution_ref(institution) -> dict | None:
    if institution is None:
        return None
    slug = getattr(institution, "slug", None)
    return {"slug": slug, "name": institution.name}


def group_ref(group) -> dict | None:
    """A group as a contribution names it: a hidden group (issue 14, item 5) without its name or its mark."""
    if group is None:
        return None
    return {"id": group.id, "name": None if group.is_hidden else group.name,
            "verified": bool(group.is_verified and not group.is_hidden)}


def institution(item) -> dict:
    return {"slug": item.slug, "name": item.name, "kind": item.kind.value, "website": item.website or "",
            "url": absolute_url("institutions.show", slug=item.slug)}


def institution_detail(item, figures: Figures) -> dict:
    from participation.api.bulk import bulk_links

    return {**institution(item), "figures": {
        "received": figures.received, "answered": figures.answered, "answered_share": figures.answered_share,
        "median_working_days": None if figures.median_working_days is None else float(figures.median_working_days),
        "within_deadline_share": figures.within_deadline_share, "overdue_now": figures.overdue_now,
    }, "bulk": bulk_links(item.slug)}


def group(item) -> dict:
    hidden = item.is_hidden
    return {"id": item.id, "slug": item.slug, "name": None if hidden else item.name, "kind": item.kind.value,
            "description": None if hidden else item.description, "verified": bool(item.is_verified and not hidden),
            "hidden": hidden, "hidden_reason": item.hidden_reason or None if hidden else None,
            "url": absolute_url("groups.show", slug=item.slug)}


def consultation(item, public_total: int) -> dict:
    return {"id": item.id, "title": item.title, "kind": item.kind.value, "policy_area": item.policy_area or "",
            "territory": item.territory or "", "summary": item.summary or "", "institution": institution_ref(item.institution),
            "state": item.window_state().value, "opens_at": item.opens_at, "closes_at": item.closes_at,
            "comment_count": public_total, "url": absolute_url("consultations.show", consultation_id=item.id)}


def consultation_detail(item, public_total: int, summary_published: bool) -> dict:
    return {**consultation(item, public_total), "problem": item.problem or "", "goal": item.goal or "",
            "positions_waiting": item.positions_waiting, "summary_table_published": summary_published,
            "versions": [v.number for v in item.versions]}


def section(item, consultation_id: int, count: int) -> dict:
    return {"id": item.id, "number": item.number or "", "heading": item.heading or "", "text": item.text or "",
            "comment_count": count,
            "url": absolute_url("consultations.section", consultation_id=consultation_id, section_id=item.id)}


def _same_name(a: str, b: str) -> bool:
    """As the consultation pages compare a name with whom the author represents: ignoring case and spacing."""
    return "".join(a.split()).casefold() == "".join(b.split()).casefold()


def submitter(comment) -> dict:
    """The consultation pages' `comment_submitter`, as data."""
    if not comment.show_name:
        return {"name": None, "private_person": True, "represents": "", "group": None}
    name = (None if comment.group.is_hidden else comment.group.name) if comment.group else comment.author.display_name
    represents = comment.represents or ""
    if name is not None and represents and _same_name(represents, name):
        represents = ""
    return {"name": name, "private_person": False, "represents": represents, "group": group_ref(comment.group)}


def _hidden(item) -> tuple[bool, str | None]:
    return item.is_hidden, (item.hidden_reason or None) if item.is_hidden else None


def reply(item) -> dict:
    hidden, reason = _hidden(item)
    return {"id": item.id, "number": comment_number(item.id), "text": None if hidden else item.text, "hidden": hidden,
            "hidden_reason": reason, "submitter": submitter(item), "created_at": item.created_at}


def comment(item, consultation_id: int) -> dict:
    return {**reply(item), "section_id": item.section_id, "highlighted": bool(item.highlighted), "off_topic": bool(item.off_topic),
            "url": absolute_url("consultations.comment_link", consultation_id=consultation_id, comment_id=item.id),
            "replies": [reply(r) for r in item.replies]}


def summary_row(item) -> dict:
    """A row of the summary table: while the comment is hidden, its position and answer are withheld with it (issue
    14, item 7), as on the page and in its CSV."""
    hidden, reason = _hidden(item)
    case = item.case
    return {"comment_id": item.id, "number": comment_number(item.id), "section_id": item.section_id,
            "section": item.section.label if item.section else None, "submitter": submitter(item),
            "comment": None if hidden else item.text, "hidden": hidden, "hidden_reason": reason,
            "case_id": case.id if case else None,
            "state": None if hidden or case is None else case.state.value,
            "position": None if hidden or case is None or case.position is None else case.position.value,
            "reason": None if hidden or item.answer is None else item.answer.text}


def proposal(item) -> dict:
    hidden, reason = _hidden(item)
    case = item.case
    public_case = case is not None and not case.is_private
    return {
        "id": item.id, "title": None if hidden else item.title, "problem": None if hidden else item.problem,
        "solution": None if hidden else item.solution, "benefit": None if hidden else item.benefit,
        "hidden": hidden, "hidden_reason": reason, "territory": item.territory or "", "topics": item.topic_codes,
        "institution": institution_ref(item.institution),
        "examined_by": institution_ref(case.institution) if public_case and case.institution_id != item.institution_id else None,
        "author": item.author.display_name, "group": group_ref(item.group), "submitted_at": item.submitted_at,
        "support_count": item.support_count, "support_threshold": item.support_threshold,
        "collect_until": item.collect_until, "merged_into": item.merged_into_id,
        "case_id": case.id if public_case else None,
        "state": case.state.value if public_case else None,
        "position": case.position.value if public_case and case.position else None,
        "due_on": case.due_on if public_case else None,
        "implemented_on": case.implemented_on if public_case else None,
        "url": absolute_url("proposals.show", proposal_id=item.id),
    }


def _response_ref(entry) -> dict:
    return {"id": entry.id, "kind": entry.kind.value, "position": entry.position.value if entry.position else None,
            "text": entry.text, "created_at": entry.created_at}


def response(entry, slugs: dict[int, str]) -> dict:
    """A response-log entry (`cases.rows.LogEntry`); `slugs` names the institutions by id."""
    return {
        "id": entry.id, "case_id": entry.case.id, "case_number": entry.case.number, "case_title": entry.case.title,
        "kind": entry.kind.value, "position": entry.position.value if entry.position else None,
        "effective_on": entry.effective_on, "text": entry.text,
        "institution": {"slug": slugs.get(entry.institution.id, ""), "name": entry.institution.name},
        "target_institution": {"slug": slugs.get(entry.target_institution.id, ""), "name": entry.target_institution.name}
        if entry.target_institution else None,
        "author": entry.author.display_name, "created_at": entry.created_at,
        "supersedes": _response_ref(entry.supersedes) if entry.supersedes else None,
        "superseded_by": entry.superseded_by.id if entry.superseded_by else None,
        "url": absolute_url("cases.show", case_id=entry.case.id) + f"#response-{entry.id}",
    }


def case(item, entries: list, slugs: dict[int, str]) -> dict:
    return {
        "id": item.id, "number": item.number, "title": item.title, "channel": item.channel.value,
        "institution": institution_ref(item.institution), "forwarded_from": institution_ref(item.forwarded_from),
        "received_at": item.received_at, "due_on": item.due_on, "state": item.state.value, "overdue": item.is_overdue,
        "position": item.position.value if item.position else None,
        "implemented_on": item.implemented_on, "responses": [response(e, slugs) for e in entries],
        "url": absolute_url("cases.show", case_id=item.id),
    }
