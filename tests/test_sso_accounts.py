"""Single sign-on's domain part (accounts/single_sign_on.py): which claims vouch for an address,
which name a role, and the account made at a first sign-in (on SQLite and PostgreSQL)."""

import pytest
from sqlalchemy import select

from participation.accounts.models import User
from participation.accounts.single_sign_on import (
    account_for_email,
    create_sso_account,
    role_from_claim,
    verified_email,
)
from participation.extensions import db
from participation.ops.audit import audit
from participation.ops.models import StaffAudit


@pytest.mark.parametrize(("claims", "expected"), [
    ({"email": " Anna@Kommun.se ", "email_verified": True}, "anna@kommun.se"),
    ({"email": "anna@kommun.se", "email_verified": False}, None),
    ({"email": "anna@kommun.se", "email_verified": "true"}, None),
    ({"email": "anna@kommun.se"}, None),
    ({"email": "anna@kommun.se", "xms_edov": True}, "anna@kommun.se"),
    ({"email": "anna@kommun.se", "xms_edov": "1"}, None),
    ({"email": "anna@kommun.se", "email_verified": False, "xms_edov": True}, None),
    ({"email": "", "email_verified": True}, None),
    ({"email": ["anna@kommun.se"], "email_verified": True}, None),
    ({"email_verified": True}, None),
])
def test_verified_email(claims, expected):
    assert verified_email(claims) == expected


@pytest.mark.parametrize(("value", "expected"), [
    ("reviewer", "reviewer"), (" Admin ", "admin"), (["facilitator"], "facilitator"),
    (["offline_access", "reviewer"], "reviewer"), (["reviewer", "reviewer"], "reviewer"),
    (["reviewer", "admin"], None), ("superuser", None), (None, None), (3, None),
    ({"role": "admin"}, None), ([], None),
])
def test_role_from_claim(value, expected):
    assert role_from_claim(value) == expected


def _record(db_session, user):
    audit(db_session, user, "account.create_sso", user.role)


def test_first_sign_in_makes_the_account_with_its_audit_line(any_db_app):
    user = create_sso_account("New@Kommun.se", "reviewer", _record)
    assert (user.email, user.role) == ("new@kommun.se", "reviewer")
    assert account_for_email("NEW@kommun.se").id == user.id
    # Nobody knows its password: the password form does not open it with an empty one.
    assert not user.check_password("")
    entry = db.session.scalar(select(StaffAudit).where(StaffAudit.action == "account.create_sso"))
    assert (entry.actor_id, entry.actor, entry.target) == (user.id, "new@kommun.se", "reviewer")
    # A second first sign-in (two tabs) finds the account the other made: still one row.
    assert create_sso_account("new@kommun.se", "reviewer", _record).id == user.id
    assert len(db.session.scalars(select(User)).all()) == 1


def test_a_failing_audit_line_leaves_no_account(any_db_app):
    def broken(db_session, user):
        raise RuntimeError("the audit write failed")

    with pytest.raises(RuntimeError):
        create_sso_account("new@kommun.se", "reviewer", broken)
    assert account_for_email("new@kommun.se") is None
