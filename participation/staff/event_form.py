"""The form that creates an event (the operation checks every value)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..events.operations import PROMPT_MAX, TITLE_MAX

DEFAULT_FOCUS_AREAS = "\n".join(
    ["Modig mobilitet", "Bestående byggnation", "Smart samskapande", "Klokt klimatledarskap"]
)


class EventForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=TITLE_MAX)])
    prompt = TextAreaField(
        _l("The question residents answer"), validators=[DataRequired(), Length(max=PROMPT_MAX)]
    )
    kind = SelectField(
        _l("Kind of session"),
        choices=[
            ("medborgarverkstad", _l("Citizen workshop (medborgarverkstad)")),
            ("radslag", _l("Open dialogue (rådslag)")),
            ("referensgrupp", _l("Reference group (referensgrupp)")),
        ],
    )
    focus_areas = TextAreaField(
        _l("Focus areas, one per line"), default=DEFAULT_FOCUS_AREAS,
        validators=[Optional(), Length(max=1200)],
    )
    voting_method = RadioField(
        _l("Voting"),
        choices=[
            ("approval", _l("Approval: one vote per proposal per person")),
            ("dots", _l("Dots: a number of dots per person to spread")),
            ("scale", _l("Scale: each person rates each proposal from 1 to 5")),
        ],
        default="approval",
    )
    moderation = RadioField(
        _l("Moderation"),
        choices=[
            ("post", _l("Proposals show at once; I can hide them")),
            ("pre", _l("Proposals wait until I approve them")),
        ],
        default="post",
    )
    hide_tallies = BooleanField(_l("Keep the live vote bars off the projector until I show them"))
    shuffle_ballot = BooleanField(_l("Show proposals in a random order to each person when voting"))
    questions = TextAreaField(
        _l("Question cards, one per line (optional, at most 8)"),
        validators=[Optional(), Length(max=2800)],
    )
    opens_at = StringField(_l("Opens on its own at (optional)"), validators=[Optional()])
    closes_at = StringField(_l("Closes on its own at (optional)"), validators=[Optional()])
    dots = IntegerField(
        _l("Dots per person"), default=5, validators=[Optional(), NumberRange(1, 100)]
    )
    max_per_proposal = IntegerField(
        _l("At most this many dots on one proposal"), default=3,
        validators=[Optional(), NumberRange(1, 100)],
    )

    def voting(self) -> dict:
        if self.voting_method.data == "scale":
            return {"method": "scale"}
        if self.voting_method.data == "dots":
            return {"method": "dots", "dots": self.dots.data,
                    "max_per_proposal": self.max_per_proposal.data}
        return {"method": "approval"}

    def question_texts(self) -> list[str]:
        return [line.strip() for line in (self.questions.data or "").splitlines() if line.strip()]

    def focus_area_names(self) -> list[str]:
        return [line.strip() for line in (self.focus_areas.data or "").splitlines() if line.strip()]
