"""API tokens: issue, list, revoke, and the bearer check. The one write path for tokens: the
staff page (staff/tokens.py), REST (api/token_views.py) and `flask users` all call these.

Other parts call `revoke_all_tokens(user)` (or, inside their own write transaction,
`revoke_tokens_in(session, user)`) when an account is disabled or its password changes, so no
token outlives the trust its owner had.
"""

from datetime import datetime, timedelta
from typing import Annotated, Literal, NotRequired

from flask_babel import lazy_gettext as _l
from pydantic import Field
from sqlalchemy import or_, select, update
from typing_extensions import TypedDict

from .. import access
from ..core.declare import request
from ..core.errors import OperationError, forbidden, not_found
from ..core.time import Time, iso, utcnow
from ..core.tx import write_transaction
from ..core.validate import Id, clean_name, is_id
from ..extensions import db
from ..ops.audit import audit
from .models import TOKEN_NAME_MAX, ApiToken, User

DAYS_DEFAULT = 90
DAYS_MIN, DAYS_MAX = 1, 365
# last_used_at is a hint for people ("used today"), not a log: one write a minute at most, so
# a script calling the API many times a second costs no write per call.
LAST_USED_EVERY = timedelta(minutes=1)
TOKEN_STATES = ("active", "expired", "revoked")
# The refusals of the bearer check; api/ answers them with 401 and WWW-Authenticate.
TOKEN_ERRORS = ("invalid_token", "token_expired", "token_revoked", "account_disabled")
# `by=` of the operations: who acts, for the audit log. The owner themself unless said; None
# is the server's CLI (no staff actor).
OWNER = object()


@request
class NewToken(TypedDict):
    name: Annotated[str, Field(min_length=1, max_length=TOKEN_NAME_MAX, description=(
        "What the token is for, e.g. Power BI."))]
    days: NotRequired[Annotated[int, Field(ge=DAYS_MIN, le=DAYS_MAX, description=(
        "Days until it expires."), json_schema_extra={"default": DAYS_DEFAULT})]]


class TokenShape(TypedDict):
    id: Id
    name: str
    created_at: Time
    expires_at: Time
    last_used_at: Annotated[str | None, Field(description=(
        "Updated at most once a minute; null if never used."))]
    revoked_at: Time | None
    state: Literal[TOKEN_STATES]


def token_shape(row: ApiToken, now: datetime | None = None) -> TokenShape:
    return {"id": row.id, "name": row.name, "created_at": iso(row.created_at),
            "expires_at": iso(row.expires_at), "last_used_at": iso(row.last_used_at),
            "revoked_at": iso(row.revoked_at), "state": row.state(now or utcnow())}


def _days(days) -> int:
    if days is None:
        return DAYS_DEFAULT
    if not is_id(days) or not DAYS_MIN <= days <= DAYS_MAX:
        raise OperationError("invalid_days", _l(
            "Choose a lifetime from %(low)d to %(high)d days.", low=DAYS_MIN, high=DAYS_MAX),
            field="days")
    return days


def _actor(owner: User, by) -> User | None:
    return owner if by is OWNER else by


def _target(owner: User, row: ApiToken) -> str:
    # The owner too: the CLI acts without a staff actor, and the log must still say whose.
    return f"{owner.email} #{row.id} {row.name}"


def issue_token(user: User, name: str, days: int | None = DAYS_DEFAULT, *, by=OWNER,
                with_token: bool = False) -> tuple[str, ApiToken]:
    """A new token for `user`: (the token itself, shown once and never stored; its row).

    `with_token`: the caller authenticated with a bearer token, which may not mint others.
    """
    name = clean_name(name, "name", TOKEN_NAME_MAX, required=True)
    days = _days(days)
    if not access.may_issue_token(user, with_token):
        raise forbidden()
    value = ApiToken.generate()
    now = utcnow()
    with write_transaction() as session:
        row = ApiToken(user_id=user.id, digest=ApiToken.hash(value), name=name, created_at=now,
                       expires_at=now + timedelta(days=days))
        session.add(row)
        session.flush()
        audit(session, _actor(user, by), "token.issue", _target(user, row))
    return value, row


def list_tokens(user: User) -> list[TokenShape]:
    """Every token of `user`, newest first, with the ended ones (revoked, expired)."""
    now = utcnow()
    rows = db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)
                              .order_by(ApiToken.id.desc()))
    return [token_shape(row, now) for row in rows]


def revoke_token(user: User, token_id, *, by=OWNER) -> TokenShape:
    """Revoke one of `user`'s tokens; another user's token is answered as not found.

    Revoking a revoked token changes nothing and says so again (a retried click)."""
    if not is_id(token_id):
        raise not_found("token_not_found")
    with write_transaction() as session:
        row = session.get(ApiToken, token_id)
        if row is None or not access.may_manage_token(user, row):
            raise not_found("token_not_found")
        if row.revoked_at is None:
            row.revoked_at = utcnow()
            audit(session, _actor(user, by), "token.revoke", _target(user, row))
        shape = token_shape(row)
    return shape


def revoke_tokens_in(session, user: User) -> int:
    """Inside a caller's write transaction: revoke every token of `user` not yet revoked.
    Returns how many. For disabling an account or changing its password."""
    result = session.execute(
        update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow()))
    return result.rowcount or 0


def revoke_all_tokens(user: User, *, by=OWNER) -> int:
    """Revoke every token of `user` in one transaction, audited; returns how many."""
    with write_transaction() as session:
        count = revoke_tokens_in(session, user)
        if count:
            audit(session, _actor(user, by), "token.revoke_all", f"{user.email} ({count})")
    return count


def authenticate_token(value: str) -> User:
    """The staff user behind a bearer token, or the OperationError (401) that refuses it."""
    row = db.session.scalar(select(ApiToken).where(ApiToken.digest == ApiToken.hash(value)))
    if row is None:
        raise OperationError("invalid_token", _l("The API token is not valid."), 401)
    now = utcnow()
    state = row.state(now)
    if state == "revoked":
        raise OperationError("token_revoked", _l("This API token has been revoked."), 401)
    if state == "expired":
        raise OperationError("token_expired",
                             _l("This API token has expired. Create a new one."), 401)
    user = db.session.get(User, row.user_id)
    if user is None or not getattr(user, "is_active", True):
        raise OperationError("account_disabled",
                             _l("The account this API token belongs to is disabled."), 401)
    if row.last_used_at is None or row.last_used_at <= now - LAST_USED_EVERY:
        _mark_used(row.id, now)
    return user


def _mark_used(token_id: int, now: datetime) -> None:
    # Conditional, so processes racing on the same token write once between them.
    with write_transaction() as session:
        session.execute(
            update(ApiToken).where(ApiToken.id == token_id, or_(
                ApiToken.last_used_at.is_(None),
                ApiToken.last_used_at <= now - LAST_USED_EVERY))
            .values(last_used_at=now))


def user_by_email(email: str) -> User:
    """For the CLI: the staff account with this e-mail, or an OperationError."""
    user = db.session.scalar(select(User).where(User.email == (email or "").strip().lower()))
    if user is None:
        raise OperationError("unknown_user", _l("No staff account with that e-mail."), 404)
    return user
