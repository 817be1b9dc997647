"""Form fields shared by the domains."""
from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import DateField


class DayField(DateField):
    """A date typed as YYYY-MM-DD, with a plain-language message when it cannot be read."""

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = date.fromisoformat(valuelist[0].strip())
        except ValueError:
            self.data = None
            raise ValueError(_l("Enter a real date in the form year-month-day, for example 2026-12-30.")) from None
