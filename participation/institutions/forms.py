from participation.i18n import lazy_gettext as _l
from wtforms import EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import URL, DataRequired, Email, Length, NoneOf, Optional, Regexp

from participation.form_widgets import Form
from participation.institutions.models import InstitutionKind, StaffRole

KIND_LABELS = {
    InstitutionKind.MINISTRY: _l("Ministry"),
    InstitutionKind.AGENCY: _l("Agency"),
    InstitutionKind.MUNICIPALITY: _l("Municipality"),
}
ROLE_LABELS = {
    StaffRole.RESPONDER: _l("Responder"),
    StaffRole.EDITOR: _l("Editor"),
    StaffRole.ADMIN: _l("Institution administrator"),
}


class InstitutionForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter the name.")), Length(max=200)])
    slug = StringField(
        _l("Short name for the address"),
        description=_l("Lower-case letters, digits and hyphens, for example rezeknes-novads."),
        validators=[
            DataRequired(_l("Enter a short name.")),
            Length(max=80),
            Regexp(r"^[a-z0-9]+(-[a-z0-9]+)*$", message=_l("Use lower-case letters, digits and hyphens only.")),
            NoneOf(["new", "figures"], message=_l("This short name is taken. Choose another.")),
        ],
    )
    kind = SelectField(_l("Kind"), choices=[(k.value, label) for k, label in KIND_LABELS.items()])
    website = StringField(
        _l("Website"),
        validators=[
            Optional(),
            Regexp(r"^https?://", message=_l("Enter a full address, like https://example.lv.")),
            URL(message=_l("Enter a full address, like https://example.lv.")),
            Length(max=255),
        ],
    )
    description = TextAreaField(_l("About the institution"), validators=[Length(max=4000)])


class StaffForm(Form):
    email = EmailField(
        _l("E-mail address of the staff member"),
        description=_l("They must already have an account."),
        validators=[DataRequired(_l("Enter the e-mail address.")), Email(_l("Enter a valid e-mail address, like name@example.lv."))],
    )
    role = SelectField(_l("Role"), choices=[(r.value, label) for r, label in ROLE_LABELS.items()])


class FiguresForm(Form):
    """The figures page's choice of period (a GET filter: no CSRF, nothing is changed)."""

    class Meta:
        csrf = False

    month = SelectField(_l("Period"))
