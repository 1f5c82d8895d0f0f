"""The console's forms: every button works as a plain form post (no JavaScript needed); the
operations check the values, the forms only carry them."""

from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ...core.languages import DEFAULT, OWN_NAMES, SHIPPED
from ...events.tables import TABLES_MAX
from ...events.team import EMAIL_MAX as TEAM_EMAIL_MAX
from ...members.models import EMAIL_MAX, MEETING_TITLE_MAX, NAME_MAX, ORGANISATION_MAX
from ...proposals.models import BODY_MAX, TITLE_MAX
from ...proposals.moderation import REASON_MAX


class TimerForm(FlaskForm):
    """Minutes for the phase countdown; the stop button sends 0."""

    minutes = IntegerField(_l("Minutes"), validators=[NumberRange(0, 240)])

    def seconds(self) -> int:
        return self.minutes.data * 60


class ScheduleForm(FlaskForm):
    """Local times from datetime-local inputs; empty clears."""

    opens_at = StringField(_l("Starts collecting at"), validators=[Optional()])
    voting_opens_at = StringField(_l("Voting opens at"), validators=[Optional()])
    closes_at = StringField(_l("Closes and shows the results at"), validators=[Optional()])


class QuestionsForm(FlaskForm):
    questions = TextAreaField(_l("Question cards, one per line (at most 8)"),
                              validators=[Optional(), Length(max=2800)])

    def texts(self) -> list[str]:
        return [line.strip() for line in (self.questions.data or "").splitlines() if line.strip()]


class TablesForm(FlaskForm):
    count = IntegerField(_l("Number of tables"), validators=[NumberRange(0, TABLES_MAX)])


class RevealForm(FlaskForm):
    revealed = HiddenField(validators=[DataRequired()])


class ThemesDisplayForm(FlaskForm):
    show = HiddenField(validators=[DataRequired()])


class PhaseForm(FlaskForm):
    """A phase button; `confirmed` is "1" once the facilitator has said yes to what it does."""

    phase = HiddenField(validators=[DataRequired()])
    confirmed = HiddenField()


class PaperProposalForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=TITLE_MAX)])
    body = TextAreaField(_l("Text"), validators=[Optional(), Length(max=BODY_MAX)])
    table = SelectField(_l("Table"), choices=[], validate_choice=False)


class HandCountForm(FlaskForm):
    count = IntegerField(_l("Hands"), validators=[NumberRange(0, 100_000)])


class ConfirmForm(FlaskForm):
    """A button that only needs the CSRF token."""


class EditForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=TITLE_MAX)])
    body = TextAreaField(_l("Text"), validators=[Optional(), Length(max=BODY_MAX)])
    reason = StringField(_l("Reason, shown to everyone"), validators=[DataRequired(),
                                                                       Length(max=REASON_MAX)])


class HideForm(FlaskForm):
    reason = StringField(_l("Reason, shown to everyone"), validators=[DataRequired(),
                                                                       Length(max=REASON_MAX)])


class MergeForm(FlaskForm):
    """Merge one proposal (source) into another (target) on the console."""

    source_id = IntegerField(_l("Proposal"), validators=[
        InputRequired(message=_l("Choose a proposal."))])
    target_id = IntegerField(_l("Merge into"), validators=[
        InputRequired(message=_l("Choose a proposal."))])
    reason = StringField(_l("Reason (optional)"), validators=[Optional(), Length(max=REASON_MAX)])


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


class NumberForm(FlaskForm):
    """A table number for a new scribe card."""

    table = IntegerField(_l("Table"), validators=[InputRequired(), NumberRange(1, TABLES_MAX)])


class TeamMemberForm(FlaskForm):
    """A colleague on the event's team: their staff account's e-mail and their part."""

    # Checked by the operation (unknown account, already on the team, a role the account may
    # not have), so the form, REST and sockets refuse the same.
    email = StringField(_l("Colleague's e-mail"), validators=[
        DataRequired(message=_l("Write something here.")), Length(max=TEAM_EMAIL_MAX)])
    role = SelectField(_l("Role"), validate_choice=False, choices=[
        ("moderator", _l("Moderator: approves, hides, edits and merges proposals")),
        ("facilitator", _l("Facilitator: runs the event like you"))], default="moderator")


class PollForm(FlaskForm):
    """A quick poll for the evening's plan; the operation checks every value."""

    title = StringField(_l("Question"), validators=[DataRequired(), Length(max=200)])
    options = TextAreaField(_l("Options, one per line (2 to 8)"),
                            validators=[DataRequired(), Length(max=1200)])
    multiple = BooleanField(_l("Each person may choose several"))
    show_results = BooleanField(_l("Show the results on the phone after answering"))

    def option_lines(self) -> list[str]:
        return [line.strip() for line in (self.options.data or "").splitlines() if line.strip()]


class PanelForm(FlaskForm):
    """Questions to the panel for the evening's plan: a title ("Frågor till panelen")."""

    title = StringField(_l("Title on the phones and the projector"),
                        validators=[DataRequired(), Length(max=200)])


class QuestionStatusForm(FlaskForm):
    """A moderator's button on a question to the panel; the operation checks the status."""

    status = StringField()


class LanguagesForm(FlaskForm):
    """The event's languages (events/languages.py): one checkbox per shipped language, the
    projector's, whether a phone's own setting counts, and the title and question per
    language. The fields are named languages, projector_language, browser_language,
    title_<code> and prompt_<code>; the operation checks every value."""

    projector_language = SelectField(_l("The projector speaks"), validate_choice=False,
                                     choices=[(code, OWN_NAMES[code]) for code in SHIPPED])
    browser_language = BooleanField(_l(
        "On a first visit, use the phone's own language setting if it is offered"))

    def chosen(self) -> list[str]:
        return request.form.getlist("languages")

    def texts(self) -> dict:
        return {code: {"title": request.form.get(f"title_{code}", ""),
                       "prompt": request.form.get(f"prompt_{code}", "")}
                for code in SHIPPED if code != DEFAULT}
