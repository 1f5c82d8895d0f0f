from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateTimeLocalField, HiddenField, StringField
from wtforms.validators import DataRequired, Length, Optional

from .models import EMAIL_MAX, MEETING_TITLE_MAX, NAME_MAX, ORGANISATION_MAX


class MemberForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(message=_l("Write something here.")),
                                               Length(max=NAME_MAX)])
    # Checked by the operation, so the form, REST and sockets refuse the same addresses.
    email = StringField(_l("E-mail (optional)"), validators=[Optional(), Length(max=EMAIL_MAX)])
    organisation = StringField(_l("Organisation (optional)"),
                               validators=[Optional(), Length(max=ORGANISATION_MAX)])


class MeetingForm(FlaskForm):
    title = StringField(_l("Meeting"), validators=[DataRequired(), Length(max=MEETING_TITLE_MAX)])
    starts_at = DateTimeLocalField(_l("Starts"), format="%Y-%m-%dT%H:%M",
                                   validators=[DataRequired(message=_l(
                                       "Give a date and time, e.g. 2026-12-03 18:00."))])


class AttendanceForm(FlaskForm):
    present = HiddenField()


class ShowNameForm(FlaskForm):
    show_name = BooleanField(_l("Show my name to the group"))


class ConfirmForm(FlaskForm):
    """A button that only needs the CSRF token."""
