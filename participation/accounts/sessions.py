"""Staff sessions: where they are kept, and ending them.

A staff member's session lives on the server (Flask-Session; web/sessions.py chooses the
backend): the browser holds only a random id. Logging out deletes that one record, so a copy
of the cookie is worth nothing. `end_sessions` ends every session of an account at once by
raising its `session_epoch`: each session names the epoch it was signed in at (User.get_id),
and web/auth.py's user loader refuses any other. Its open staff sockets are told through
`ended`, which live/socket/staff_sockets.py turns into disconnects on every process.
"""

import logging

from blinker import Namespace
from flask_babel import lazy_gettext as _l
from flask_session.sqlalchemy.sqlalchemy import create_session_model
from sqlalchemy import update

from ..core.errors import OperationError
from ..core.tx import write_transaction
from ..extensions import db
from .models import User

# Flask-Session's own table (id, session_id, data, expiry) when there is no Redis, declared
# once per process on our metadata so Alembic creates it (migrations/) and every app made by
# create_app shares it: the library's constructor would declare it again for each app.
StaffSession = create_session_model(db, "staff_sessions")

# Sent after commit as ended.send(user_id, reason=..., session=...): `session` is the one
# session that ended (a logout: its key, web/sessions.session_key), or None for all of them.
ended = Namespace().signal("staff-sessions-ended")

REASONS = ("logout", "password_changed", "signout_everywhere", "disabled", "role_changed")

log = logging.getLogger(__name__)


def end_sessions(user_id: int, reason: str) -> None:
    """End every session of this staff member at once: pages, REST and sockets, on every
    process. For a password change, disabling, a role change, "sign out everywhere"."""
    with write_transaction() as session:
        changed = session.execute(
            update(User).where(User.id == user_id)
            .values(session_epoch=User.session_epoch + 1)).rowcount
    if not changed:
        raise OperationError("unknown_user", _l("No such staff account."), 404)
    log.info("staff sessions ended: user %s, %s", user_id, reason)
    ended.send(user_id, reason=reason, session=None)


def session_ended(user_id: int, key: str, reason: str = "logout") -> None:
    """One session ended (its record is deleted by web/sessions.py): its sockets go too."""
    ended.send(user_id, reason=reason, session=key)
