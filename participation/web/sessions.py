"""The session: a signed cookie for residents, a server-side record for staff.

One cookie, `session`, holds either
- a signed value (itsdangerous: always has a dot) with what a resident's browser carries: its
  participant tokens, the event it last joined, its language, a CSRF token. Nothing of it is
  stored on the server: joining writes nothing, and no server-side record links one phone's
  tokens across events. Socket events reuse its decoded value (web/headers.TlsAwareSessions);
- or, once a staff member signs in, a random id (Flask-Session: no dot) whose data lives on the
  server, in Redis when REDIS_URL is set, otherwise in our database (table staff_sessions).
  Every request and socket event of a staff browser reads that record again, so logging out
  (the record is deleted) or accounts/sessions.end_sessions (the account's epoch is raised)
  ends it at once, for every copy of the cookie.

Staff identity (Flask-Login's `_user_id`) is honoured only from a server-side record: a signed
cookie that carries one (from before, or forged with a leaked key) is stripped of it.
Staff sessions end STAFF_SESSION_HOURS after signing in, whatever happens in between.
"""

import hashlib
import time
from datetime import UTC, datetime, timedelta

from flask import current_app, has_request_context, request, session
from flask.sessions import SessionInterface
from flask_session.base import ServerSideSession, ServerSideSessionInterface
from flask_session.redis import RedisSessionInterface
from flask_session.sqlalchemy import SqlAlchemySessionInterface

from ..accounts.sessions import StaffSession
from ..core.tx import write_transaction
from ..extensions import db
from .headers import TlsAwareSessions

# What Flask-Login keeps in the session; any of them makes it a staff session.
LOGIN_KEYS = ("_user_id", "_fresh", "_id", "_remember", "_remember_seconds")
SIGNED_IN = "_signed_in"  # unix time of signing in: the session's absolute limit counts from it
SID_BYTES = 32


class StaffStore:
    """What our two Flask-Session backends share: an absolute lifetime from signing in, a write
    only when the session changed (not on every request), the cookie Secure over TLS."""

    lifetime = 12 * 3600.0

    def ends_at(self, session) -> float:
        try:
            return float(dict.get(session, SIGNED_IN, 0)) + self.lifetime
        except (TypeError, ValueError):
            return 0.0

    def should_set_storage(self, app, session) -> bool:
        return session.modified

    def get_expiration_time(self, app, session):
        return datetime.fromtimestamp(self.ends_at(session), UTC)

    def get_cookie_secure(self, app) -> bool:
        configured = super().get_cookie_secure(app)
        return configured or (has_request_context() and request.is_secure)

    def _upsert_session(self, _lifetime, session, store_id) -> None:
        remaining = max(1.0, self.ends_at(session) - time.time())
        super()._upsert_session(timedelta(seconds=remaining), session, store_id)

    def new_id(self) -> str:
        return self._generate_sid(SID_BYTES)

    def drop(self, session) -> None:
        """Delete this session's record: whoever holds a copy of the cookie holds nothing."""
        if session.sid:
            self._delete_session(self._get_store_id(session.sid))


class SqlStaffSessions(StaffStore, SqlAlchemySessionInterface):
    def __init__(self, app):
        # The library's constructor declares its model and creates its table for every app it
        # is given, which fails on the second app of a factory (flask-session issue 245). The
        # model is declared once (accounts/sessions.py) and its table made by a migration.
        self.app = app
        self.client = db
        self.sql_session_model = StaffSession
        ServerSideSessionInterface.__init__(
            self, app, key_prefix="staff:", permanent=True, sid_length=SID_BYTES,
            serialization_format="msgpack", cleanup_n_requests=None)

    def _upsert_session(self, lifetime, session, store_id) -> None:
        # BEGIN IMMEDIATE on SQLite: wait for the write lock rather than fail mid-upgrade.
        with write_transaction():
            super()._upsert_session(lifetime, session, store_id)

    def _delete_session(self, store_id: str) -> None:
        with write_transaction():
            super()._delete_session(store_id)


class RedisStaffSessions(StaffStore, RedisSessionInterface):
    def __init__(self, app):
        import redis

        RedisSessionInterface.__init__(
            self, app, client=redis.Redis.from_url(store_url(app)),
            key_prefix=f"{app.config['SOCKETIO_CHANNEL']}:staff-session:", permanent=True,
            sid_length=SID_BYTES, serialization_format="msgpack")


def store_url(app) -> str | None:
    # STAFF_SESSION_REDIS_URL lets a test use Redis for this alone (not the socket queue).
    return app.config.get("STAFF_SESSION_REDIS_URL") or app.config["REDIS_URL"]


def _server_id(value: str) -> bool:
    # A Flask-Session id is token_urlsafe (letters, digits, - and _); a signed value has dots.
    return "." not in value


class Sessions(SessionInterface):
    """Flask's session interface: the signed cookie or the staff record, per request."""

    def __init__(self, app):
        self.signed = TlsAwareSessions()
        self.staff = RedisStaffSessions(app) if store_url(app) else SqlStaffSessions(app)
        self.staff.lifetime = float(app.config["STAFF_SESSION_HOURS"]) * 3600

    def open_session(self, app, request_):
        value = request_.cookies.get(self.signed.get_cookie_name(app))
        if value and _server_id(value):
            staff = self.staff.open_session(app, request_)
            if dict.get(staff, "_user_id") and time.time() < self.staff.ends_at(staff):
                return staff
            if staff:  # signed in longer ago than the limit
                self.staff.drop(staff)
            # Ended, expired or never ours: anonymous, and the dead id's cookie is deleted.
            fresh = self.signed.session_class()
            fresh.modified = True
            return fresh
        opened = self.signed.open_session(app, request_)
        if opened is not None and any(key in opened for key in LOGIN_KEYS):
            for key in LOGIN_KEYS:
                opened.pop(key, None)
        return opened

    def save_session(self, app, session_, response) -> None:
        # dict.get: reading through the session would mark it accessed (Vary: Cookie) for all.
        staff = bool(dict.get(session_, "_user_id"))
        if isinstance(session_, ServerSideSession):
            if staff:
                if SIGNED_IN not in session_:
                    session_[SIGNED_IN] = time.time()
                self.staff.save_session(app, session_, response)
                return
            # Signed out: the record goes; what is left (a phone's tokens, the language)
            # goes back into the signed cookie, which replaces the id under the same name.
            self.staff.drop(session_)
            session_ = self.signed.session_class(dict(session_))
            session_.modified = True
        elif staff:
            # Just signed in: from here on the data lives on the server under a new id.
            moved = self.staff.session_class(dict(session_), sid=self.staff.new_id())
            moved[SIGNED_IN] = time.time()
            self.staff.save_session(app, moved, response)
            return
        self.signed.save_session(app, session_, response)

    def renew(self, session_) -> None:
        """On signing in: a staff browser's old record is deleted and it gets a new id, so an
        id known before the login (session fixation) is worth nothing after it."""
        if isinstance(session_, ServerSideSession):
            self.staff.drop(session_)
            session_.sid = self.staff.new_id()
            session_.pop(SIGNED_IN, None)
            session_.modified = True


def session_key() -> str | None:
    """A short name for this request's staff session, for its sockets (never the id itself)."""
    sid = getattr(session._get_current_object(), "sid", None) if has_request_context() else None
    return hashlib.sha256(sid.encode()).hexdigest()[:24] if sid else None


def renew() -> None:
    current_app.session_interface.renew(session._get_current_object())


def init_app(app):
    app.session_interface = Sessions(app)
