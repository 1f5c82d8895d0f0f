"""Admins manage staff accounts in the browser (/admin/konton): list, role, disable and
enable, sign out everywhere, reset a lost second factor; all audited, all refused to others.
A disabled account cannot log in, and its open session and API tokens stop working."""

import pytest

from participation.accounts.models import User
from participation.extensions import db
from participation.ops.models import StaffAudit

from .conftest import PASSWORD, csrf_from, login


@pytest.fixture
def ended(monkeypatch):
    calls = []
    for module in ("resets", "manage", "operations"):
        monkeypatch.setattr(f"participation.accounts.{module}.end_sessions",
                            lambda user_id, reason: calls.append((user_id, reason)))
    return calls


def _client(app, user):
    client = app.test_client()
    assert login(client, user).status_code == 302
    return client


def _act(client, user_id, action, **data):
    page = client.get("/events").get_data(as_text=True)
    return client.post(f"/admin/konton/{user_id}/{action}",
                       data={"csrf_token": csrf_from(page), **data})


def _fresh(user_id) -> User:
    db.session.remove()
    return db.session.get(User, user_id)


def _audit() -> list[tuple]:
    db.session.remove()
    return [(a.actor, a.action, a.target) for a in
            db.session.query(StaffAudit).filter(StaffAudit.action.like("account.%"))
            .order_by(StaffAudit.id)]


def test_the_list_shows_every_account_to_an_admin(app, staff):
    admin = _client(app, staff.admin)
    login(app.test_client(), staff.reviewer)  # a last login to show
    page = admin.get("/admin/konton")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    for email in ("fac@example.se", "other@example.se", "rev@example.se", "admin@example.se"):
        assert email in html
    assert "Granskare (projektgrupp)" in html and "Senaste inloggning" in html
    assert admin.get(f"/admin/konton/{staff.reviewer.id}").status_code == 200
    assert admin.get("/admin/konton/999999").status_code == 404


@pytest.mark.parametrize("who", ["facilitator", "reviewer"])
def test_the_accounts_pages_are_403_for_everyone_but_admins(app, staff, who):
    client = _client(app, getattr(staff, who))
    assert client.get("/admin/konton").status_code == 403
    assert client.get(f"/admin/konton/{staff.other.id}").status_code == 403
    for action, data in (("stang-av", {}), ("roll", {"role": "admin"}),
                         ("aterstallningslank", {}), ("logga-ut", {}), ("tvastegs", {})):
        assert _act(client, staff.other.id, action, **data).status_code == 403, action
    page = client.get("/events").get_data(as_text=True)
    invite = client.post("/admin/konton", data={"csrf_token": csrf_from(page),
                                                "email": "x@example.se", "role": "admin"})
    assert invite.status_code == 403
    other = _fresh(staff.other.id)
    assert other.role == "facilitator" and other.is_active
    assert db.session.query(User).filter_by(email="x@example.se").count() == 0
    assert _audit() == []
    assert "/admin/konton" not in page  # no link in the header either


def test_a_disabled_account_cannot_log_in_and_its_session_and_tokens_stop(app, staff, ended):
    victim = _client(app, staff.facilitator)
    assert victim.get("/events").status_code == 200
    token = staff.auth(staff.facilitator)
    assert victim.get("/api/v1/proposals", headers=token).status_code == 200
    admin = _client(app, staff.admin)
    assert _act(admin, staff.facilitator.id, "stang-av").status_code == 303
    assert not _fresh(staff.facilitator.id).is_active
    assert (staff.facilitator.id, "disabled") in ended
    # The open session loads no user any more (is_active), and the token is refused.
    assert victim.get("/events").status_code == 302
    assert app.test_client().get("/api/v1/proposals", headers=token).status_code == 401
    refused = login(app.test_client(), staff.facilitator)
    assert refused.status_code == 422 and "avstängt" in refused.get_data(as_text=True)
    assert _act(admin, staff.facilitator.id, "aktivera").status_code == 303
    assert login(app.test_client(), staff.facilitator).status_code == 302
    assert [a[1] for a in _audit()] == ["account.disable", "account.enable"]


def test_a_role_change_is_audited_and_ends_the_sessions(app, staff, ended):
    admin = _client(app, staff.admin)
    assert _act(admin, staff.reviewer.id, "roll", role="facilitator").status_code == 303
    assert _fresh(staff.reviewer.id).role == "facilitator"
    assert (staff.reviewer.id, "role_changed") in ended
    assert _audit() == [("admin@example.se", "account.role",
                         "rev@example.se: reviewer → facilitator")]
    assert _act(admin, staff.reviewer.id, "roll", role="owner").status_code == 400
    assert _fresh(staff.reviewer.id).role == "facilitator"


def test_an_admin_cannot_demote_or_disable_themselves(app, staff):
    admin = _client(app, staff.admin)
    assert _act(admin, staff.admin.id, "roll", role="reviewer").status_code == 409
    assert _act(admin, staff.admin.id, "stang-av").status_code == 409
    me = _fresh(staff.admin.id)
    assert me.role == "admin" and me.is_active


def test_sign_out_everywhere_and_resetting_the_second_factor(app, staff, ended):
    from participation.accounts import totp

    totp.enrolment(staff.other.id)
    db.session.get(User, staff.other.id).totp_enabled_at = db.func.now()
    db.session.commit()
    admin = _client(app, staff.admin)
    assert _act(admin, staff.other.id, "logga-ut").status_code == 303
    assert _act(admin, staff.other.id, "tvastegs").status_code == 303
    other = _fresh(staff.other.id)
    assert not other.totp_enabled and other.totp_secret is None
    assert [reason for _id, reason in ended] == ["signed_out_everywhere", "second_factor_reset"]
    assert [a[1] for a in _audit()] == ["account.sign_out_all", "account.mfa_reset"]
    # Visible in the staff audit log (REST) too.
    log = admin.get("/api/v1/audit", headers=staff.auth(staff.admin)).get_json()["entries"]
    assert {"account.sign_out_all", "account.mfa_reset"} <= {e["action"] for e in log}


def test_own_password_change_needs_the_current_one_and_ends_other_sessions(app, staff, ended):
    client = _client(app, staff.reviewer)
    page = client.get("/konto").get_data(as_text=True)
    wrong = client.post("/konto/losenord", data={
        "csrf_token": csrf_from(page), "current_password": "inte rätt lösenord",
        "new_password": "ett helt nytt lösenord", "confirm": "ett helt nytt lösenord"})
    assert wrong.status_code == 422 and ended == []
    done = client.post("/konto/losenord", data={
        "csrf_token": csrf_from(page), "current_password": PASSWORD,
        "new_password": "ett helt nytt lösenord", "confirm": "ett helt nytt lösenord"})
    assert done.status_code == 302 and ended == [(staff.reviewer.id, "password_changed")]
    assert client.get("/konto").status_code == 200  # this browser has a new session
    assert login(app.test_client(), staff.reviewer, "ett helt nytt lösenord").status_code == 302
