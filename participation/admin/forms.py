from flask_babel import lazy_gettext as _l
from wtforms import BooleanField

from participation.form_widgets import Form


class PlatformRolesForm(Form):
    is_moderator = BooleanField(_l("Moderator"))
    is_admin = BooleanField(_l("Platform administrator"))
