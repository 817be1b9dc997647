"""Co-creation forms: validation only, never saving."""
from participation.i18n import lazy_gettext as _l
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from participation.cases.forms import POSITION_LABELS, SOURCE_LABELS
from participation.cases.models import Position
from participation.cocreation.models import AmendmentKind, MemberRole
from participation.form_widgets import Form
from participation.forms import DayField, HumanCheckMixin

TEXT_LIMIT = 5000
_TEXT = Length(max=TEXT_LIMIT, message=_l("Use at most %(max)d characters."))

KIND_LABELS = {
    AmendmentKind.REPLACE: _l("Replace its wording"),
    AmendmentKind.ADD_AFTER: _l("Add a new clause after it"),
    AmendmentKind.DELETE: _l("Delete it"),
}
ROLE_LABELS = {
    MemberRole.COORDINATOR: _l("Coordinator: runs the process"),
    MemberRole.MEMBER: _l("Member: answers ideas and decides amendments"),
    MemberRole.ADVISER: _l("Adviser: takes part, decides nothing"),
}
DECISION_LABELS = {
    Position.ACCEPTED: _l("Accept"),
    Position.PARTLY_ACCEPTED: _l("Accept in part"),
    Position.NOT_ACCEPTED: _l("Reject"),
}


def on_behalf_choices(groups) -> list[tuple[int, str]]:
    return [(0, _l("Myself"))] + [(group.id, group.name) for group in groups]


class ProcessForm(Form):
    title = StringField(_l("Title of the regulation"), description=_l("For example: Binding regulations on keeping pets."),
                        validators=[DataRequired(_l("Enter a title.")), Length(max=255, message=_l("Use at most %(max)d characters."))])
    problem = TextAreaField(_l("The problem"), description=_l("What should the regulation solve, and for whom? In plain language."),
                            validators=[DataRequired(_l("Describe the problem.")), _TEXT])
    ideas_until = DayField(_l("Last day for ideas"), description=_l("For example, 30 12 2026."),
                           validators=[InputRequired(_l("Enter the last day for ideas."))])
    drafting_until = DayField(_l("Last day of drafting"), description=_l("For example, 30 12 2026."),
                              validators=[InputRequired(_l("Enter the last day of drafting."))])
    adoption_planned_on = DayField(_l("Planned council decision"), description=_l("For example, 30 12 2026."),
                                   validators=[InputRequired(_l("Enter the planned day of the council decision."))])


class IdeaForm(HumanCheckMixin, Form):
    on_behalf = SelectField(_l("Who is sending it"), coerce=int,
                            description=_l("A member of a youth council or another group may write on the group's behalf."))
    title = StringField(_l("Your idea in one sentence"),
                        validators=[DataRequired(_l("Write your idea in one sentence.")), Length(max=200, message=_l("Use at most %(max)d characters."))])
    text = TextAreaField(_l("Explain the idea"), description=_l("What should the regulation say or change, and why?"),
                         validators=[DataRequired(_l("Explain the idea.")), _TEXT])
    show_name = BooleanField(_l("Show my name with it"), default=True,
                             description=_l("Otherwise it is shown as from a resident. A group's name is always shown."))


class AmendmentForm(HumanCheckMixin, Form):
    on_behalf = SelectField(_l("Who is sending it"), coerce=int,
                            description=_l("A member of a youth council or another group may write on the group's behalf."))
    kind = RadioField(_l("What do you propose?"), choices=list(KIND_LABELS.items()),
                      validators=[InputRequired(_l("Choose what you propose."))])
    text = TextAreaField(_l("The wording you propose"),
                         description=_l("The whole clause as it should read (for a new clause, its text). Leave empty to delete."),
                         validators=[_TEXT])
    reason = TextAreaField(_l("Why"), validators=[DataRequired(_l("Say why.")), _TEXT])
    show_name = BooleanField(_l("Show my name with it"), default=True,
                             description=_l("Otherwise it is shown as from a resident. A group's name is always shown."))

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if self.kind.data in (AmendmentKind.REPLACE, AmendmentKind.ADD_AFTER) and not (self.text.data or "").strip():
            self.text.errors.append(_l("Write the wording you propose."))
            return False
        return valid


class IdeaAnswerForm(Form):
    position = SelectField(_l("Position"), choices=[("", _l("Choose a position"))]
                           + [(p.value, POSITION_LABELS[p]) for p in (Position.ACCEPTED, Position.PARTLY_ACCEPTED, Position.NOT_ACCEPTED, Position.NOTED)],
                           validators=[InputRequired(_l("Choose a position."))])
    text = TextAreaField(_l("Answer"), description=_l("Answer on substance, in plain language. It is published in the response log."),
                         validators=[DataRequired(_l("Write the answer.")), _TEXT])
    clause = SelectField(_l("The clause it shaped"), coerce=int, validate_choice=False,
                         description=_l("Optional, once the draft is published: the credits link the idea to this clause."))


class DecisionForm(Form):
    position = RadioField(_l("Decision"), choices=[(p.value, label) for p, label in DECISION_LABELS.items()],
                          validators=[InputRequired(_l("Choose a decision."))])
    taken_text = TextAreaField(_l("The wording taken"), description=_l("Only when accepting in part: the clause as it will read."),
                               validators=[_TEXT])
    text = TextAreaField(_l("Reason"), description=_l("Published in the response log."),
                         validators=[DataRequired(_l("Give the reason.")), _TEXT])

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if self.position.data == Position.PARTLY_ACCEPTED and not (self.taken_text.data or "").strip():
            self.taken_text.errors.append(_l("Write the wording taken from the amendment."))
            return False
        return valid


class DraftForm(Form):
    source = TextAreaField(_l("Text of the draft"),
                           description=_l("Paste the whole draft. Numbered points (1., 2., 2.1.) become clauses that residents can amend."),
                           validators=[DataRequired(_l("Paste the text of the draft.")), Length(max=200_000)])
    note = TextAreaField(_l("What the draft takes from the ideas"), validators=[_TEXT])


class ConsultationForm(Form):
    summary = TextAreaField(_l("Plain-language summary"), description=_l("What the regulation changes, for whom, in a few sentences."),
                            validators=[DataRequired(_l("Write the plain-language summary.")), _TEXT])
    closes_on = DayField(_l("Last day for comments"),
                         description=_l("At least 2 weeks from today for binding regulations. For example, 30 12 2026."),
                         validators=[InputRequired(_l("Enter the last day for comments."))])


class AdoptForm(Form):
    decision_number = StringField(_l("Number of the council decision"), description=_l("For example: Nr. 12 (prot. Nr. 5, 3. p.)"),
                                  validators=[DataRequired(_l("Enter the number of the council decision.")), Length(max=60)])
    decision_on = DayField(_l("Day of the council decision"), description=_l("For example, 30 12 2026."),
                           validators=[InputRequired(_l("Enter the day of the council decision."))])


class StopForm(Form):
    reason = TextAreaField(_l("Why the process stops"), validators=[DataRequired(_l("Say why the process stops.")), _TEXT])


class MemberForm(Form):
    email = StringField(_l("A person's e-mail address"), description=_l("Fill in this or the group."),
                        validators=[Optional(), Length(max=255)])
    group = StringField(_l("Or a group's short name"), description=_l("As in the group's address, for example jauniesu-dome."),
                        validators=[Optional(), Length(max=80)])
    role = RadioField(_l("Role"), choices=list(ROLE_LABELS.items()), validators=[InputRequired(_l("Choose a role."))])


class OfflineForm(Form):
    what = RadioField(_l("What was received"), choices=[("idea", _l("An idea")), ("amendment", _l("An amendment"))],
                      validators=[InputRequired(_l("Choose what was received."))])
    source = SelectField(_l("How it arrived"), choices=[("", _l("Choose…"))] + [(s.value, label) for s, label in SOURCE_LABELS.items()],
                         validators=[InputRequired(_l("Choose how it arrived."))])
    received_on = DayField(_l("Day received"), description=_l("For example, 30 12 2026."),
                           validators=[InputRequired(_l("Enter the day it was received."))])
    name = StringField(_l("The sender's name"), validators=[Optional(), Length(max=200)])
    name_public = BooleanField(_l("The sender agreed to show their name"),
                               description=_l("Otherwise the name stays private and the contribution is shown as from a resident."))
    title = StringField(_l("The idea in one sentence"), description=_l("For an idea."), validators=[Optional(), Length(max=200)])
    clause = SelectField(_l("Clause"), description=_l("For an amendment."), coerce=int, validate_choice=False)
    kind = RadioField(_l("What is proposed"), description=_l("For an amendment."), choices=list(KIND_LABELS.items()),
                      validators=[Optional()], default=AmendmentKind.REPLACE.value)
    text = TextAreaField(_l("The text received"), validators=[DataRequired(_l("Write the text received.")), _TEXT])
    reason = TextAreaField(_l("The reason given"), description=_l("For an amendment."), validators=[_TEXT])


from participation.cocreation.models import AmendmentState, Stage  # noqa: E402

STAGE_LABELS = {
    Stage.IDEAS: _l("Problem and ideas"),
    Stage.DRAFTING: _l("Drafting"),
    Stage.CONSULTATION: _l("Public consultation"),
    Stage.ADOPTED: _l("Adopted"),
    Stage.STOPPED: _l("Stopped"),
}
STATE_LABELS = {
    AmendmentState.EVALUATING: _l("Being evaluated"),
    AmendmentState.ACCEPTED: _l("Accepted"),
    AmendmentState.PARTLY_ACCEPTED: _l("Partly accepted"),  # as the response log says it
    AmendmentState.REJECTED: _l("Rejected"),
    AmendmentState.WITHDRAWN: _l("Withdrawn"),
}
