"""Holes a security review of the staff identity found, each tried as the attacker would."""

import pytest
from flask_login import encode_cookie
from sqlalchemy import select
from werkzeug.exceptions import Forbidden

from participation.accounts import lockout
from participation.accounts.models import User
from participation.accounts.operations import create_or_update_user
from participation.accounts.single_sign_on import verified_email
from participation.extensions import db
from participation.ops.models import StaffAudit

from .conftest import PASSWORD, csrf_from, login


def _signed_in(client) -> bool:
    return client.get("/events").status_code == 200


def test_a_login_half_done_with_an_old_password_cannot_be_finished(app, staff):
    """The password step leaves a marker for the second step; a new password (or signing out
    everywhere) in between makes it worthless, so a leaked old password gets nobody in."""
    app.config["REQUIRE_MFA_ROLES"] = ("admin",)
    thief = app.test_client()
    started = login(thief, staff.admin)
    assert started.headers["Location"].endswith("/login/tvastegs")
    assert thief.get("/login/tvastegs").status_code == 200
    create_or_update_user(staff.admin.email, "admin", "a brand new passphrase 42")
    assert thief.get("/login/tvastegs").headers["Location"].endswith("/login")
    assert not _signed_in(thief)


def test_invisible_padding_is_the_same_account_to_the_lockout(app, staff):
    """clean_text drops U+3164 when the login looks the account up, so the lockout counts the
    padded address as the same account instead of a fresh one."""
    assert lockout.account_key("fac@live.se") == lockout.account_key("fac@live.se\u3164\u3164")
    assert lockout.account_key("Fac@Live.se ") == lockout.account_key("fac@live.se")
    client = app.test_client()
    for n in range(8):
        page = client.get("/login").get_data(as_text=True)
        client.post("/login", data={"email": "fac@live.se" + "\u3164" * n,
                                    "password": "wrong password here",
                                    "csrf_token": csrf_from(page)})
    page = client.get("/login").get_data(as_text=True)
    padded = client.post("/login", data={"email": "fac@live.se" + "\u3164" * 9,
                                         "password": PASSWORD, "csrf_token": csrf_from(page)})
    assert padded.status_code == 429


def test_a_forged_remember_cookie_is_no_session(app, staff):
    """We never set Flask-Login's remember cookie; one made with the key is ignored."""
    client = app.test_client()
    with app.test_request_context():
        forged = encode_cookie(staff.admin.get_id())
    client.set_cookie("remember_token", forged)
    assert client.get("/admin/konton").status_code == 302
    assert not _signed_in(client)


@pytest.mark.parametrize("email", ["\u212aalle@live.se", "<b>@live.se", "fac@live.se\u0301"])
def test_single_sign_on_takes_only_a_plain_address(email):
    """U+212A (Kelvin) lower-cases to "k" in Python: it must not land on kalle's account."""
    assert verified_email({"email": email, "email_verified": True}) is None
    assert verified_email({"email": "Fac@Live.se", "email_verified": True}) == "fac@live.se"


def test_a_disabled_account_coming_back_through_sign_in_is_refused(app, staff):
    from participation.accounts import manage
    from participation.staff.signin import sign_in

    manage.disable(manage.COMMAND_LINE, staff.facilitator.id)
    with app.test_request_context("/login/oidc/callback"), pytest.raises(Forbidden):
        sign_in(staff.facilitator, "/konto", how="login_sso")


def test_the_reset_page_sends_no_referer(app, staff):
    from participation.accounts import manage, resets

    token = resets.issue_reset(manage.COMMAND_LINE, staff.facilitator.id)["reset_token"]
    page = app.test_client().get(f"/konto/aterstall/{token}")
    assert page.status_code == 200
    assert page.headers["Referrer-Policy"] == "no-referrer"


def test_a_stolen_session_cannot_guess_the_password_faster_than_the_login(app, staff):
    """Wrong current passwords on the account page count in the login's lockout: after the
    limit even the right one is refused here (429), and nothing changes."""
    client = app.test_client()
    login(client, staff.facilitator)
    answers = []
    for n in range(app.config["LOGIN_FAILURES_PER_ACCOUNT"] + 1):
        page = client.get("/konto").get_data(as_text=True)
        answers.append(client.post("/konto/losenord", data={
            "csrf_token": csrf_from(page), "current_password": f"guess number {n} here",
            "new_password": "a brand new passphrase 42",
            "confirm": "a brand new passphrase 42"}).status_code)
    assert answers[0] == 422 and answers[-1] == 429, answers
    page = client.get("/konto").get_data(as_text=True)
    refused = client.post("/konto/tvastegs/av", data={"csrf_token": csrf_from(page),
                                                      "off-password": PASSWORD})
    assert refused.status_code == 429
    db.session.rollback()
    assert db.session.get(User, staff.facilitator.id).check_password(PASSWORD)


def test_users_create_is_in_the_audit_log(app, staff):
    create_or_update_user("ny@example.se", "facilitator", PASSWORD)
    create_or_update_user("ny@example.se", "reviewer", "another passphrase here")
    create_or_update_user("ny@example.se", "reviewer", "another passphrase here")  # no change
    actions = [(e.action, e.target) for e in
               db.session.scalars(select(StaffAudit).order_by(StaffAudit.id))]
    assert actions == [("account.create", "ny@example.se (facilitator)"),
                       ("account.set", "ny@example.se: facilitator → reviewer, new password")]
