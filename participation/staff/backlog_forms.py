"""Backlog forms. Numbers are text fields: the operations' parsers accept "12,5" and "1 200 000"."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField

from ..backlog.models import MEASURE_STATUSES
from ..web.labels import BACKLOG_STATUS_NAMES as STATUS_NAMES
from ..web.labels import LINK_NAMES


class MeasureForm(FlaskForm):
    title = StringField(_l("Title"))
    description = TextAreaField(_l("Description"))
    focus_area = StringField(_l("Focus area"))
    owner = StringField(_l("Owner (department or partner organisation)"))
    reduction_low = StringField(_l("Reduction, low estimate (tCO2e per year)"))
    reduction_high = StringField(_l("Reduction, high estimate (tCO2e per year)"))
    investment_sek = StringField(_l("Investment (SEK)"))
    yearly_cost_sek = StringField(_l("Yearly cost (SEK)"))
    co_benefits = TextAreaField(_l("Co-benefits"))
    time_frame = StringField(_l("Time frame"))


class StatusForm(FlaskForm):
    status = SelectField(_l("New status"), choices=[(s, STATUS_NAMES[s])
                                                    for s in MEASURE_STATUSES],
                         validate_choice=False)
    reason = TextAreaField(_l("Reason (public)"))


class ImportForm(FlaskForm):
    file = FileField(_l("CSV file"))


class LinkForm(FlaskForm):
    kind = RadioField(_l("What becomes of the proposal"),
                      choices=list(LINK_NAMES.items()), validate_choice=False)
    measure_id = SelectField(_l("Measure"), choices=[], validate_choice=False)
    reason = TextAreaField(_l("Public reason or answer"))
    next = HiddenField()
