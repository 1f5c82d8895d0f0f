"""Extensions are created once here and bound to the app in the factory."""

from authlib.integrations.flask_client import OAuth
from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData

from .socketio_server import ConnectionContextSocketIO

# Named constraints keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING))
migrate = Migrate()
csrf = CSRFProtect()
class _SessionOnlyLogin(LoginManager):
    """Flask-Login without "remember me": we never set its cookie, so a remember_token that
    arrives is forged (or made with a leaked key) and must not become a staff session with
    no password, no second factor and no audit line."""

    def _load_user_from_remember_cookie(self, cookie):
        return None


login_manager = _SessionOnlyLogin()
babel = Babel()
socketio = ConnectionContextSocketIO()
# Single sign-on (staff/sso.py): bound to the app only when OIDC_ISSUER is set.
oauth = OAuth()
