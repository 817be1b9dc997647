"""The API's contract: marshmallow schemas, from which the OpenAPI 3.1 description is generated (flask-smorest and
apispec). The views build plain dicts and flask-smorest dumps them through these schemas, so what is described is
what is sent. Codes (states, positions, kinds) are the platform's own enum values; times are UTC (RFC 3339)."""
import re
from datetime import timezone

import marshmallow as ma
from marshmallow import fields, validate

from participation.cases.models import CaseState, Channel, Position, ResponseKind
from participation.consultations.models import ConsultationKind, WindowState
from participation.groups.models import GroupKind
from participation.institutions.models import InstitutionKind
from participation.moderation.models import HideReason

class UTCDateTime(fields.DateTime):
    """A UTC moment stored naive, sent with its offset (RFC 3339: "2026-11-30T12:00:00+00:00")."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return super()._serialize(value, attr, obj, **kwargs)


def encode_cursor(after: int) -> str:
    return str(after)


class Cursor(fields.String):
    """Where the next page starts: the `next_cursor` the page before gave (digits; read as the last id it held)."""

    PATTERN = r"^[0-9]{1,9}$"

    def __init__(self, **kwargs):
        metadata = {"pattern": self.PATTERN, **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if not re.fullmatch(self.PATTERN, text):
            raise ma.ValidationError("Not a cursor this API gave.")
        return int(text)


def _enum(values, **kwargs):
    return fields.String(validate=validate.OneOf([v.value for v in values]), **kwargs)


def _nullable_enum(values, **kwargs):
    return fields.String(allow_none=True, validate=validate.OneOf([v.value for v in values]), **kwargs)


# --- query parameters ------------------------------------------------------------------------------------------


class ListArgs(ma.Schema):
    cursor = Cursor(metadata={"description": "The `next_cursor` of the page before; none: the first page."})
    limit = fields.Integer(load_default=50, validate=validate.Range(1, 100), metadata={"description": "Items per page (1–100)."})


class InstitutionListArgs(ListArgs):
    institution = fields.String(validate=validate.Length(1, 80),
                                metadata={"description": "Only this institution's (its slug)."})


# --- items -------------------------------------------------------------------------------------------------------


class InstitutionRef(ma.Schema):
    slug = fields.String(required=True)
    name = fields.String(required=True)


class GroupRef(ma.Schema):
    id = fields.Integer(required=True)
    name = fields.String(allow_none=True, required=True,
                         metadata={"description": "None while a moderator has hidden the group (its page shows its number)."})
    verified = fields.Boolean(required=True, metadata={"description": "Confirmed by a platform administrator."})


class Figures(ma.Schema):
    received = fields.Integer(required=True)
    answered = fields.Integer(required=True)
    answered_share = fields.Float(allow_none=True, required=True)
    median_working_days = fields.Float(allow_none=True, required=True)
    within_deadline_share = fields.Float(allow_none=True, required=True)
    overdue_now = fields.Integer(required=True)


class Institution(ma.Schema):
    slug = fields.String(required=True)
    name = fields.String(required=True)
    kind = _enum(InstitutionKind, required=True)
    website = fields.String(required=True)
    url = fields.String(required=True, metadata={"description": "The institution's page."})


class InstitutionDetail(Institution):
    figures = fields.Nested(Figures, required=True)
    bulk = fields.Dict(keys=fields.String(), values=fields.String(), required=True,
                       metadata={"description": "The institution's bulk files (CSV and JSON Lines)."})


class Group(ma.Schema):
    id = fields.Integer(required=True)
    slug = fields.String(required=True)
    name = fields.String(allow_none=True, required=True)
    kind = _enum(GroupKind, required=True)
    description = fields.String(allow_none=True, required=True)
    verified = fields.Boolean(required=True)
    hidden = fields.Boolean(required=True)
    hidden_reason = _nullable_enum(HideReason, required=True)
    url = fields.String(required=True)


class Consultation(ma.Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    kind = _enum(ConsultationKind, required=True)
    policy_area = fields.String(required=True)
    territory = fields.String(required=True)
    summary = fields.String(required=True)
    institution = fields.Nested(InstitutionRef, required=True)
    state = _enum(WindowState, required=True)
    opens_at = UTCDateTime(allow_none=True, required=True)
    closes_at = UTCDateTime(allow_none=True, required=True)
    comment_count = fields.Integer(required=True, metadata={"description": "Public top-level comments (hidden ones left out)."})
    url = fields.String(required=True)


class ConsultationDetail(Consultation):
    problem = fields.String(required=True)
    goal = fields.String(required=True)
    positions_waiting = fields.Integer(required=True)
    summary_table_published = fields.Boolean(required=True)
    versions = fields.List(fields.Integer(), required=True, metadata={"description": "The numbers of its versions."})


class Section(ma.Schema):
    id = fields.Integer(required=True)
    number = fields.String(required=True)
    heading = fields.String(required=True)
    text = fields.String(required=True)
    comment_count = fields.Integer(required=True)
    url = fields.String(required=True)


class Submitter(ma.Schema):
    name = fields.String(allow_none=True, required=True,
                         metadata={"description": "None when the person asked to be shown as a private person."})
    private_person = fields.Boolean(required=True)
    represents = fields.String(required=True)
    group = fields.Nested(GroupRef, allow_none=True, required=True)


class Reply(ma.Schema):
    id = fields.Integer(required=True)
    number = fields.String(required=True)
    text = fields.String(allow_none=True, required=True, metadata={"description": "None while hidden by a moderator."})
    hidden = fields.Boolean(required=True)
    hidden_reason = _nullable_enum(HideReason, required=True)
    submitter = fields.Nested(Submitter, required=True)
    created_at = UTCDateTime(required=True)


class Comment(Reply):
    section_id = fields.Integer(allow_none=True, required=True, metadata={"description": "None: on the whole draft."})
    highlighted = fields.Boolean(required=True)
    off_topic = fields.Boolean(required=True)
    url = fields.String(required=True)
    replies = fields.List(fields.Nested(Reply), required=True)


class Position_(ma.Schema):
    """A row of the summary table (izziņa)."""

    comment_id = fields.Integer(required=True)
    number = fields.String(required=True)
    section_id = fields.Integer(allow_none=True, required=True)
    section = fields.String(allow_none=True, required=True, metadata={"description": "The section's label; none: the whole draft."})
    submitter = fields.Nested(Submitter, required=True)
    comment = fields.String(allow_none=True, required=True, metadata={"description": "None while hidden by a moderator."})
    hidden = fields.Boolean(required=True)
    hidden_reason = _nullable_enum(HideReason, required=True)
    case_id = fields.Integer(allow_none=True, required=True)
    state = _nullable_enum(CaseState, required=True)
    position = _nullable_enum(Position, required=True,
                              metadata={"description": "None until recorded, and while the comment is hidden."})
    reason = fields.String(allow_none=True, required=True, metadata={"description": "The answer in force."})


class Proposal(ma.Schema):
    id = fields.Integer(required=True)
    title = fields.String(allow_none=True, required=True, metadata={"description": "None while hidden by a moderator."})
    problem = fields.String(allow_none=True, required=True)
    solution = fields.String(allow_none=True, required=True)
    benefit = fields.String(allow_none=True, required=True)
    hidden = fields.Boolean(required=True)
    hidden_reason = _nullable_enum(HideReason, required=True)
    territory = fields.String(required=True)
    topics = fields.List(fields.String(), required=True)
    institution = fields.Nested(InstitutionRef, required=True, metadata={"description": "Addressed to."})
    examined_by = fields.Nested(InstitutionRef, allow_none=True, required=True,
                                metadata={"description": "The institution holding its case (after a forward)."})
    author = fields.String(required=True, metadata={"description": "The person (for a group: its contact)."})
    group = fields.Nested(GroupRef, allow_none=True, required=True)
    submitted_at = UTCDateTime(allow_none=True, required=True)
    support_count = fields.Integer(required=True)
    support_threshold = fields.Integer(allow_none=True, required=True)
    collect_until = fields.Date(allow_none=True, required=True)
    merged_into = fields.Integer(allow_none=True, required=True)
    case_id = fields.Integer(allow_none=True, required=True, metadata={"description": "None when its case is not public."})
    state = _nullable_enum(CaseState, required=True)
    position = _nullable_enum(Position, required=True)
    due_on = fields.Date(allow_none=True, required=True)
    implemented_on = fields.Date(allow_none=True, required=True)
    url = fields.String(required=True)


class ResponseRef(ma.Schema):
    id = fields.Integer(required=True)
    kind = _enum(ResponseKind, required=True)
    position = _nullable_enum(Position, required=True)
    text = fields.String(required=True)
    created_at = UTCDateTime(required=True)


class Response(ma.Schema):
    id = fields.Integer(required=True)
    case_id = fields.Integer(required=True)
    case_number = fields.String(required=True)
    case_title = fields.String(required=True)
    kind = _enum(ResponseKind, required=True)
    position = _nullable_enum(Position, required=True)
    effective_on = fields.Date(allow_none=True, required=True)
    text = fields.String(required=True)
    institution = fields.Nested(InstitutionRef, required=True)
    target_institution = fields.Nested(InstitutionRef, allow_none=True, required=True)
    author = fields.String(required=True)
    created_at = UTCDateTime(required=True)
    supersedes = fields.Nested(ResponseRef, allow_none=True, required=True,
                               metadata={"description": "The answer this correction replaces."})
    superseded_by = fields.Integer(allow_none=True, required=True,
                                   metadata={"description": "The correction that replaced this answer."})
    url = fields.String(required=True)


class Case(ma.Schema):
    id = fields.Integer(required=True)
    number = fields.String(required=True)
    title = fields.String(required=True)
    channel = _enum(Channel, required=True)
    institution = fields.Nested(InstitutionRef, required=True)
    forwarded_from = fields.Nested(InstitutionRef, allow_none=True, required=True)
    received_at = UTCDateTime(required=True)
    due_on = fields.Date(required=True)
    state = _enum(CaseState, required=True)
    overdue = fields.Boolean(required=True)
    position = _nullable_enum(Position, required=True)
    implemented_on = fields.Date(allow_none=True, required=True)
    responses = fields.List(fields.Nested(Response), required=True)
    url = fields.String(required=True)


# --- pages of a list ---------------------------------------------------------------------------------------------


def page_of(item_schema, name: str):
    """A page of a list: its items and the cursor of the next page (None on the last)."""
    return type(name, (ma.Schema,), {
        "items": fields.List(fields.Nested(item_schema), required=True),
        "next_cursor": fields.String(allow_none=True, required=True),
        "next": fields.String(allow_none=True, required=True, metadata={"description": "The next page's address."}),
    })


InstitutionPage = page_of(Institution, "InstitutionPage")
GroupPage = page_of(Group, "GroupPage")
ConsultationPage = page_of(Consultation, "ConsultationPage")
CommentPage = page_of(Comment, "CommentPage")
ProposalPage = page_of(Proposal, "ProposalPage")
CasePage = page_of(Case, "CasePage")
ResponsePage = page_of(Response, "ResponsePage")


class SectionList(ma.Schema):
    items = fields.List(fields.Nested(Section), required=True)


class SummaryTablePage(ma.Schema):
    consultation_id = fields.Integer(required=True)
    published = fields.Boolean(required=True, metadata={
        "description": "False until every comment has a position: the rows are then not public yet."})
    positions_waiting = fields.Integer(required=True)
    csv = fields.String(allow_none=True, required=True)
    items = fields.List(fields.Nested(Position_), required=True)
    next_cursor = fields.String(allow_none=True, required=True)
    next = fields.String(allow_none=True, required=True)
