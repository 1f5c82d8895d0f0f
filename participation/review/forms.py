from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import Length

from .labels import REVIEW_STATUS_NAMES
from .models import ANSWER_MAX, COMMENT_MAX
from .operations import MANUAL_STATUSES


class ReviewForm(FlaskForm):
    # The operation checks the values; the form only carries them (no JS needed).
    status = SelectField(_l("Status"), choices=[(s, REVIEW_STATUS_NAMES[s])
                                                for s in MANUAL_STATUSES],
                         validate_choice=False)
    public_answer = TextAreaField(_l("Public answer to the residents"),
                                  validators=[Length(max=ANSWER_MAX)])


class CommentForm(FlaskForm):
    body = TextAreaField(_l("Comment (staff only)"), validators=[Length(max=COMMENT_MAX)])
