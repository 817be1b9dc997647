from participation.i18n import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from participation.form_widgets import Form
from participation.forms import HumanCheckMixin
from participation.groups.models import GroupKind

KIND_LABELS = {
    GroupKind.YOUTH_COUNCIL: _l("Youth council"),
    GroupKind.NGO: _l("Non-governmental organisation"),
    GroupKind.RESIDENTS_COUNCIL: _l("Residents' council"),
}


class GroupForm(HumanCheckMixin, Form):
    """Creating a group carries the human check (issue 14, item 5)."""

    name = StringField(_l("Name of the group"), validators=[DataRequired(_l("Enter the name of the group.")), Length(max=200)])
    kind = SelectField(_l("Kind of group"), choices=[(k.value, label) for k, label in KIND_LABELS.items()])
    description = TextAreaField(
        _l("About the group"),
        description=_l("Who you are and what you work on. Optional."),
        validators=[Length(max=4000, message=_l("Use at most %(max)d characters."))],
    )
