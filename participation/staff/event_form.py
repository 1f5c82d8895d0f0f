"""The form that creates an event (the operation checks every value).

Some fields belong to one kind of event or one voting method: the schedule and question cards
to a rådslag, the number of tables to a medborgarverkstad, dots to dot voting. Without
JavaScript every fieldset shows, labelled with what it is for; the fields that do not apply to
the chosen kind and method are ignored (not checked, not sent to the operation), so a value
left in them never stops the form. With JavaScript (create.js) they hide and show as the
choice changes.
"""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    StopValidation,
    ValidationError,
)

from ..backlog.numbers import parse_whole
from ..core.errors import OperationError
from ..core.validate import form_number
from ..events.models import DOTS_MAX, TABLES_MAX
from ..events.operations import PROMPT_MAX, TITLE_MAX

DEFAULT_FOCUS_AREAS = "\n".join(
    ["Modig mobilitet", "Bestående byggnation", "Smart samskapande", "Klokt klimatledarskap"]
)
# Which kind of event, and which voting method, each group of fields belongs to.
KIND_FIELDS = {
    "radslag": ("questions", "opens_at", "voting_opens_at", "closes_at"),
    "medborgarverkstad": ("tables",),
}
METHOD_FIELDS = {"dots": ("dots", "max_per_proposal"), "budget": ("budget_sek", "measure_ids")}
# An operation's error about one of these inputs goes on this field of the form.
OPERATION_FIELDS = {"count": "tables", "focus_areas": "focus_areas"}


class WholeNumberField(IntegerField):
    """A whole number as people type it: ASCII digits, surrounding spaces allowed. Anything
    else ("3.5", "-2", "1e3", "3_000", "٣", a thousand digits) is an error on the field."""

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        text = valuelist[0].strip() if isinstance(valuelist[0], str) else ""
        if not text:
            self.data = None
            return
        self.data = form_number(text)
        if self.data is None:
            raise ValueError(_l("Give a whole number, e.g. 5."))

    def pre_validate(self, form):
        if self.process_errors:  # already said: no range message about a number not read
            raise StopValidation()


class KronorField(StringField):
    """Kronor as people write them: "10 000 000", "2 500 000 kr" (backlog/numbers.py)."""

    number: int | None = None

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        try:
            self.number = parse_whole(self.data, self.name)
        except OperationError as error:
            self.number = None
            raise ValueError(str(error.message)) from None


class MeasureChoiceField(SelectMultipleField):
    """The ballot's measures, ticked from the list the page shows (choices set by the view,
    cheapest tonne first). Whether each may be on a ballot is the operation's check, so a
    measure rejected after the page was painted is refused with the operation's message."""

    def process_formdata(self, valuelist):
        numbers = [form_number(v) for v in valuelist]
        self.data = [n for n in numbers if n is not None]
        if len(self.data) != len(valuelist):
            raise ValueError(_l("Choose the measures from the list."))

    def pre_validate(self, form):
        pass  # not against the choices: the operation checks each measure (see above)

    def in_list_order(self) -> list[int]:
        order = {value: n for n, (value, _label) in enumerate(self.choices or [])}
        return sorted(dict.fromkeys(self.data or []), key=lambda i: (order.get(i, len(order)), i))


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
            ("budget", _l("Climate budget: each person picks measures from the backlog that "
                          "together fit in a budget in kronor")),
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
    asks_demographics = BooleanField(_l(
        "Ask who took part (age band and district, voluntary and anonymous)"))
    tables = WholeNumberField(
        _l("Number of tables"), default=0,
        validators=[Optional(), NumberRange(0, TABLES_MAX, message=_l(
            "Between 0 and %(n)d tables.", n=TABLES_MAX))],
    )
    questions = TextAreaField(
        _l("Question cards, one per line (optional, at most 8)"),
        validators=[Optional(), Length(max=2800)],
    )
    opens_at = StringField(_l("Starts collecting on its own at (optional)"),
                           validators=[Optional()])
    voting_opens_at = StringField(_l("Voting opens on its own at (optional)"),
                                  validators=[Optional()])
    closes_at = StringField(_l("Closes and shows the results on its own at (optional)"),
                            validators=[Optional()])
    dots = WholeNumberField(
        _l("Dots per person"), default=5, validators=[
            InputRequired(message=_l("Give the number of dots per person.")),
            NumberRange(1, DOTS_MAX, message=_l("Each person can have 1 to 100 dots."))]
    )
    max_per_proposal = WholeNumberField(
        _l("At most this many dots on one proposal"), default=3, validators=[
            InputRequired(message=_l("Give the most dots one proposal can get.")),
            NumberRange(1, DOTS_MAX, message=_l(
                "Dots on one proposal must be between 1 and the dots per person."))],
    )

    budget_sek = KronorField(_l("Budget in kronor"), validators=[
        InputRequired(message=_l("Give the budget in kronor, e.g. 10 000 000."))])
    measure_ids = MeasureChoiceField(_l("Measures on the ballot"), coerce=int, validators=[
        InputRequired(message=_l("Tick the measures residents choose between."))])

    def ignored(self) -> set[str]:
        """The fields that do not apply to the chosen kind and voting method."""
        kind, method = self.kind.data, self.voting_method.data
        return ({name for k, names in KIND_FIELDS.items() if k != kind for name in names}
                | {name for m, names in METHOD_FIELDS.items() if m != method for name in names})

    def validate_max_per_proposal(self, field):
        if not field.errors and not self.dots.errors and isinstance(self.dots.data, int) \
                and field.data > self.dots.data:
            raise ValidationError(_l(
                "At most %(n)d: no more than the dots each person has.", n=self.dots.data))

    def validate(self, extra_validators=None):
        super().validate(extra_validators)
        for name in self.ignored():
            self[name].errors = []
        return not any(field.errors for field in self) and not self.form_errors

    def error_on(self, error) -> None:
        """Put an operation's refusal on the field it is about (the form as a whole if none)."""
        name = OPERATION_FIELDS.get(error.field, error.field)
        if name == "voting":
            name = "max_per_proposal" if self.voting_method.data == "dots" else "voting_method"
        target = self._fields.get(name) if isinstance(name, str) else None
        if target is None or name in self.ignored():
            self.form_errors.append(str(error.message))
        else:
            target.errors = [*target.errors, str(error.message)]

    def voting(self) -> dict:
        if self.voting_method.data == "scale":
            return {"method": "scale"}
        if self.voting_method.data == "dots":
            return {"method": "dots", "dots": self.dots.data,
                    "max_per_proposal": self.max_per_proposal.data}
        if self.voting_method.data == "budget":
            return {"method": "budget", "budget_sek": self.budget_sek.number,
                    "measure_ids": self.measure_ids.in_list_order()}
        return {"method": "approval"}

    def kind_values(self) -> dict:
        """The kind's own fields for the operation; those of other kinds are left out."""
        values = {}
        if self.kind.data == "radslag":
            values |= {"questions": self.question_texts(),
                       "opens_at": self.opens_at.data or None,
                       "voting_opens_at": self.voting_opens_at.data or None,
                       "closes_at": self.closes_at.data or None}
        if self.kind.data == "medborgarverkstad":
            values["tables"] = self.tables.data or 0
        return values

    def question_texts(self) -> list[str]:
        return [line.strip() for line in (self.questions.data or "").splitlines() if line.strip()]

    def focus_area_names(self) -> list[str]:
        return [line.strip() for line in (self.focus_areas.data or "").splitlines() if line.strip()]
