"""Who a person the organisation's single sign-on vouches for is here: their staff account, a
new one when the provider also names their role, or nobody. No request code: the screen
(staff/sso.py) checks the provider's answer and hands over the claims it read."""

import secrets
from collections.abc import Callable

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..core.errors import OperationError
from ..core.tx import write_transaction
from ..core.validate import clean_text
from ..extensions import db
from .models import ROLES, User
from .operations import clean_email


def verified_email(claims) -> str | None:
    """The e-mail address the provider vouches for, else None.

    `email_verified` must be true. Microsoft Entra ID never sends it for organisation
    accounts; there `xms_edov` (an optional claim: the address's domain is verified by the
    tenant) stands in, but only when `email_verified` is absent (docs/deploy.md says what it
    does and does not prove). Both must be JSON true: the string "true" is not.
    """
    email = claims.get("email")
    if not isinstance(email, str) or not email.strip():
        return None
    if "email_verified" in claims:
        vouched = claims["email_verified"] is True
    else:
        vouched = claims.get("xms_edov") is True
    if not vouched or not email.isascii():
        return None
    try:
        # ASCII as the provider sent it (clean_text's NFKC would turn "\u212Aalle", with a
        # Kelvin sign, into "Kalle": kalle's account), then an invitation's check: no markup.
        return clean_email(email)
    except OperationError:
        return None


def role_from_claim(value) -> str | None:
    """The role a claim names: "facilitator", "reviewer" or "admin", alone or as the one role
    in a list (Keycloak's role mappers and Entra's app roles send lists). Two different roles
    name none: which one the person should get is for the provider's admins to settle."""
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list):
        return None
    named = {v.strip().lower() for v in values if isinstance(v, str)} & set(ROLES)
    return named.pop() if len(named) == 1 else None


def account_for_email(email: str) -> User | None:
    # Addresses are stored lower-cased (an ASCII address from verified_email); lower() on the
    # column also finds an older mixed-case row.
    return db.session.scalar(select(User).where(func.lower(User.email) == email.lower()))


def create_sso_account(email: str, role: str, record: Callable) -> User:
    """A new staff account for a person the provider vouches for, with the role it names.

    Its password is random and shown to nobody: the person signs in through the provider
    (`flask users create` can give them a password later). `record(session, user)` writes the
    audit line in the same transaction: ops sits beside accounts, so the caller brings it.
    """
    email = clean_text(email, "email", 254, multiline=False).lower()
    if "@" not in email:
        raise OperationError("invalid_email", _l("Enter a valid e-mail address."), field="email")
    if role not in ROLES:
        raise OperationError("invalid_role", _l("Unknown role."), field="role")
    try:
        with write_transaction() as session:
            user = User(email=email, role=role)
            user.set_password(secrets.token_urlsafe(32))
            session.add(user)
            session.flush()  # the id, for the audit line
            record(session, user)
    except IntegrityError:
        # The same person's first sign-in in two tabs at once: the other one created it.
        existing = account_for_email(email)
        if existing is None:
            raise
        return existing
    return user
