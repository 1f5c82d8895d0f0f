"""The phone's forms: every resident action works as a plain form post, without JavaScript."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ...participants.operations import NAME_MAX
from ...proposals.models import BODY_MAX, TITLE_MAX


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


class PanelQuestionForm(FlaskForm):
    """A question to the panel; the operation checks the text (panel.ask)."""

    text = StringField(_l("Your question to the panel"))
    client_id = HiddenField()


class EvaluationForm(FlaskForm):
    """The evening's evaluation; the operation checks every value (evaluation.answer)."""

    text = TextAreaField(_l("Anything else about the evening? (optional)"))
    client_id = HiddenField()


class WhoForm(FlaskForm):
    """Who took part: the choices are set per page; the operation checks every value
    (demographics/operations.answer). An empty value is "prefer not to say"."""

    age_band = SelectField(_l("Your age"), choices=[], validate_choice=False)
    district = SelectField(_l("Where you live"), choices=[], validate_choice=False)
    extra = SelectField(_l("The city's question"), choices=[], validate_choice=False)


class NameForm(FlaskForm):
    display_name = StringField(_l("Your name (optional)"), validators=[Length(max=NAME_MAX)])


class TableForm(FlaskForm):
    table = SelectField(_l("Your table"), choices=[], validate_choice=False)


class ScribeForm(FlaskForm):
    title = StringField(_l("The table's proposal"),
                        validators=[DataRequired(message=_l("Write something here.")),
                                    Length(max=TITLE_MAX)])
    body = TextAreaField(_l("Tell us more (optional)"), validators=[Optional(),
                                                                    Length(max=BODY_MAX)])


class ShowNameForm(FlaskForm):
    show_name = BooleanField(_l("Show my name to the group"))


class ConfirmForm(FlaskForm):
    """A button that only needs the CSRF token."""
