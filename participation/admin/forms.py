from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField


class PlatformRolesForm(FlaskForm):
    is_moderator = BooleanField(_l("Moderator"))
    is_admin = BooleanField(_l("Platform administrator"))
