"""The forms of logging in, a staff member's own account, and the admins' accounts pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from ..accounts.models import ROLES
from ..accounts.operations import PASSWORD_MAX, PASSWORD_MIN
from ..web.labels import ROLE_NAMES


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


class CodeForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=40)])


class NewPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[
        DataRequired(), Length(min=PASSWORD_MIN, max=PASSWORD_MAX)])
    confirm = PasswordField(_l("The new password again"), validators=[
        DataRequired(), EqualTo("password", message=_l("The two passwords differ."))])


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[
        DataRequired(), Length(max=PASSWORD_MAX)])
    new_password = PasswordField(_l("New password"), validators=[
        DataRequired(), Length(min=PASSWORD_MIN, max=PASSWORD_MAX)])
    confirm = PasswordField(_l("The new password again"), validators=[
        DataRequired(), EqualTo("new_password", message=_l("The two passwords differ."))])


class PasswordCheckForm(FlaskForm):
    password = PasswordField(_l("Your password"), validators=[
        DataRequired(), Length(max=PASSWORD_MAX)])


class ActionForm(FlaskForm):
    """A button: the CSRF token and nothing else."""


def _role_choices():
    return [(role, ROLE_NAMES[role]) for role in ROLES]


class InviteForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    role = SelectField(_l("Role"), choices=_role_choices, validators=[DataRequired()])


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=_role_choices, validators=[DataRequired()])
