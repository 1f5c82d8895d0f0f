from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from .models import BODY_MAX, TITLE_MAX


class ProposalForm(FlaskForm):
    title = StringField(
        _l("Your proposal, in short"),
        validators=[DataRequired(message=_l("Write something here.")), Length(max=TITLE_MAX)],
    )
    body = TextAreaField(
        _l("Tell us more (optional)"), validators=[Optional(), Length(max=BODY_MAX)]
    )
    focus_area_id = SelectField(_l("Focus area"), choices=[], validate_choice=False)
    # Only when the event has question cards; the operation checks the choice.
    question_id = RadioField(_l("Which question does your proposal answer?"), choices=[],
                             validate_choice=False)
    client_id = HiddenField()


class VoteForm(FlaskForm):
    client_id = HiddenField()


class NameForm(FlaskForm):
    display_name = StringField(_l("Your name (optional)"), validators=[Length(max=60)])


class TableForm(FlaskForm):
    table = SelectField(_l("Your table"), choices=[], validate_choice=False)


class PaperProposalForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=TITLE_MAX)])
    body = TextAreaField(_l("Text"), validators=[Optional(), Length(max=BODY_MAX)])
    table = SelectField(_l("Table"), choices=[], validate_choice=False)


class ScribeForm(FlaskForm):
    title = StringField(_l("The table's proposal"),
                        validators=[DataRequired(message=_l("Write something here.")),
                                    Length(max=TITLE_MAX)])
    body = TextAreaField(_l("Tell us more (optional)"), validators=[Optional(),
                                                                    Length(max=BODY_MAX)])


class HandCountForm(FlaskForm):
    count = IntegerField(_l("Hands"), validators=[NumberRange(0, 100_000)])


class ConfirmForm(FlaskForm):
    """A button that only needs the CSRF token."""


class EditForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=TITLE_MAX)])
    body = TextAreaField(_l("Text"), validators=[Optional(), Length(max=BODY_MAX)])
    reason = StringField(_l("Reason, shown to everyone"), validators=[DataRequired(),
                                                                       Length(max=300)])


class HideForm(FlaskForm):
    reason = StringField(_l("Reason, shown to everyone"), validators=[DataRequired(),
                                                                       Length(max=300)])


class MergeForm(FlaskForm):
    """Merge one proposal (source) into another (target) on the console."""

    source_id = IntegerField(_l("Proposal"), validators=[
        InputRequired(message=_l("Choose a proposal."))])
    target_id = IntegerField(_l("Merge into"), validators=[
        InputRequired(message=_l("Choose a proposal."))])
    reason = StringField(_l("Reason (optional)"), validators=[Optional(), Length(max=300)])
