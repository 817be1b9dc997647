from participation.i18n import lazy_gettext as _l
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, Length

from participation.form_widgets import Form


class PlatformRolesForm(Form):
    is_moderator = BooleanField(_l("Moderator"))
    is_admin = BooleanField(_l("Platform administrator"))


class DataRequestForm(Form):
    """A person's request about their data, received outside the platform (a letter, an e-mail to the operator)."""

    reference = StringField(
        _l("Reference of the request"),
        description=_l("For example the registration number and date of the letter. It is kept in the audit log."),
        validators=[DataRequired(_l("Enter the reference of the request.")), Length(max=200)],
    )


class DeletePersonForm(DataRequestForm):
    confirm = BooleanField(
        _l("The person asked for their account to be deleted, and I have checked that the request is theirs"),
        validators=[DataRequired(_l("Confirm that the person asked for it and the request is theirs."))],
    )
