"""API tokens staff can trust and control: named, expiring, revocable, listed; the bearer check
refuses expired and revoked ones and those of disabled accounts; the page, the CLI and REST
share one write path (accounts/tokens.py)."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from participation.accounts.models import ApiToken, User
from participation.accounts.tokens import (
    DAYS_DEFAULT,
    issue_token,
    list_tokens,
    revoke_all_tokens,
    revoke_token,
)
from participation.core.errors import OperationError
from participation.core.time import utcnow
from participation.extensions import db
from participation.ops.models import StaffAudit

from .conftest import csrf_from, login

API = "/api/v1"
ME = f"{API}/me/tokens"


def bearer(value: str) -> dict:
    return {"Authorization": f"Bearer {value}"}


def _row(token_id: int) -> ApiToken:
    db.session.commit()  # a fresh read: what the requests wrote
    return db.session.get(ApiToken, token_id)


def _set(token_id: int, **values) -> None:
    row = db.session.get(ApiToken, token_id)
    for key, value in values.items():
        setattr(row, key, value)
    db.session.commit()
    db.session.commit()  # a fresh read: what the requests wrote


def _actions() -> list[tuple[str | None, str, str]]:
    db.session.commit()  # a fresh read: what the requests wrote
    return [(a.actor, a.action, a.target) for a in
            db.session.scalars(select(StaffAudit).where(StaffAudit.action.like("token.%"))
                               .order_by(StaffAudit.id))]


# --- the bearer check ------------------------------------------------------------------------


def test_a_new_token_works_is_named_and_expires_in_90_days(client, staff):
    value, row = issue_token(staff.facilitator, "Power BI")
    assert value.startswith("pt_")
    stored = _row(row.id)
    assert stored.name == "Power BI" and stored.digest == ApiToken.hash(value)
    assert value not in (stored.digest, stored.name)
    lifetime = stored.expires_at - stored.created_at
    assert lifetime == timedelta(days=DAYS_DEFAULT)
    assert client.get(ME, headers=bearer(value)).status_code == 200


def test_a_revoked_token_gets_401(client, staff):
    value, row = issue_token(staff.facilitator, "Skript")
    assert client.get(ME, headers=bearer(value)).status_code == 200
    revoke_token(staff.facilitator, row.id)
    response = client.get(ME, headers=bearer(value))
    assert response.status_code == 401
    assert response.get_json()["error"] == "token_revoked"
    challenge = response.headers["WWW-Authenticate"]
    assert challenge.startswith("Bearer ") and 'error="invalid_token"' in challenge


def test_an_expired_token_gets_401(client, staff):
    value, row = issue_token(staff.facilitator, "Gammal", 1)
    _set(row.id, expires_at=utcnow() - timedelta(seconds=1))
    response = client.get(f"{API}/proposals", headers=bearer(value))
    assert response.status_code == 401
    assert response.get_json()["error"] == "token_expired"
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


def test_an_unknown_token_and_no_token_say_how_to_authenticate(client):
    unknown = client.get(ME, headers=bearer("pt_nothing"))
    assert (unknown.status_code, unknown.get_json()["error"]) == (401, "invalid_token")
    assert 'error="invalid_token"' in unknown.headers["WWW-Authenticate"]
    none = client.get(ME)
    assert (none.status_code, none.get_json()["error"]) == (401, "unauthorized")
    assert none.headers["WWW-Authenticate"] == 'Bearer realm="participation"'


def test_the_token_of_a_disabled_account_gets_401(client, staff, monkeypatch):
    value, _row_ = issue_token(staff.reviewer, "Rapport")
    # Disabling accounts is another part's; the check reads only `is_active`.
    monkeypatch.setattr(User, "is_active", property(
        lambda user: user.email != staff.reviewer.email), raising=False)
    response = client.get(ME, headers=bearer(value))
    assert (response.status_code, response.get_json()["error"]) == (401, "account_disabled")
    assert client.get(ME, headers=staff.auth(staff.admin)).status_code == 200


def test_last_used_is_set_on_use_and_written_at_most_once_a_minute(client, staff):
    value, row = issue_token(staff.facilitator, "Skript")
    assert _row(row.id).last_used_at is None
    before = utcnow()
    assert client.get(ME, headers=bearer(value)).status_code == 200
    first = _row(row.id).last_used_at
    assert first is not None and first >= before - timedelta(seconds=1)
    # Within the minute: no write.
    recent = utcnow() - timedelta(seconds=30)
    _set(row.id, last_used_at=recent)
    client.get(ME, headers=bearer(value))
    assert _row(row.id).last_used_at == recent
    # After it: written again.
    old = utcnow() - timedelta(minutes=2)
    _set(row.id, last_used_at=old)
    client.get(ME, headers=bearer(value))
    assert _row(row.id).last_used_at > old + timedelta(minutes=1)


# --- the operations --------------------------------------------------------------------------


@pytest.mark.parametrize("name,days,code", [
    ("", 30, "required"), ("   ", 30, "required"), ("x" * 81, 30, "too_long"),
    ("Ok", 0, "invalid_days"), ("Ok", 366, "invalid_days"), ("Ok", "30", "invalid_days"),
    ("Ok", True, "invalid_days"), (None, 30, "required"),
])
def test_bad_names_and_lifetimes_store_nothing(app, staff, name, days, code):
    before = db.session.query(ApiToken).count()
    with pytest.raises(OperationError) as refused:
        issue_token(staff.facilitator, name, days)
    assert refused.value.code == code
    assert db.session.query(ApiToken).count() == before


def test_lifetimes_from_1_to_365_days(app, staff):
    for days in (1, 365):
        _value, row = issue_token(staff.facilitator, f"{days} dagar", days)
        stored = _row(row.id)
        assert stored.expires_at - stored.created_at == timedelta(days=days)


def test_revoke_all_tokens_revokes_every_token_of_the_user_only(client, staff):
    mine = [issue_token(staff.facilitator, f"Nyckel {n}")[0] for n in range(3)]
    theirs = staff.tokens[staff.other.email]
    assert revoke_all_tokens(staff.facilitator) == 4  # and the fixture's own
    for value in [*mine, staff.tokens[staff.facilitator.email]]:
        assert client.get(ME, headers=bearer(value)).status_code == 401
    assert client.get(ME, headers=bearer(theirs)).status_code == 200
    assert {t["state"] for t in list_tokens(staff.facilitator)} == {"revoked"}
    assert revoke_all_tokens(staff.facilitator) == 0
    assert ("fac@example.se", "token.revoke_all", "fac@example.se (4)") in _actions()


def test_issue_and_revoke_are_audited(app, staff):
    _value, row = issue_token(staff.facilitator, "Power BI")
    revoke_token(staff.facilitator, row.id)
    revoke_token(staff.facilitator, row.id)  # again: no second line
    target = f"fac@example.se #{row.id} Power BI"
    assert [a for a in _actions() if a[2] == target] == [
        ("fac@example.se", "token.issue", target), ("fac@example.se", "token.revoke", target)]


def test_another_users_token_cannot_be_revoked(client, staff):
    value, row = issue_token(staff.other, "Deras")
    with pytest.raises(OperationError) as refused:
        revoke_token(staff.facilitator, row.id)
    assert refused.value.status == 404
    by_api = client.delete(f"{ME}/{row.id}", headers=staff.auth(staff.facilitator))
    assert (by_api.status_code, by_api.get_json()["error"]) == (404, "token_not_found")
    assert client.delete(f"{ME}/999999", headers=staff.auth(staff.facilitator)).status_code == 404
    assert _row(row.id).revoked_at is None
    assert client.get(ME, headers=bearer(value)).status_code == 200


# --- REST ------------------------------------------------------------------------------------


def test_rest_lists_and_revokes_own_tokens_without_showing_them(client, staff):
    value, row = issue_token(staff.facilitator, "Skript", 30)
    listed = client.get(ME, headers=staff.auth(staff.facilitator)).get_json()["tokens"]
    assert [t["name"] for t in listed] == ["Skript", "Test"]
    assert listed[0]["state"] == "active" and listed[0]["revoked_at"] is None
    assert value not in str(listed) and "digest" not in listed[0]
    revoked = client.delete(f"{ME}/{row.id}", headers=bearer(value))
    assert revoked.status_code == 200 and revoked.get_json()["state"] == "revoked"
    assert client.get(ME, headers=bearer(value)).status_code == 401


def test_rest_creates_a_token_from_a_login_but_not_with_a_token(client, staff):
    refused = client.post(ME, json={"name": "Mer"}, headers=staff.auth(staff.facilitator))
    assert (refused.status_code, refused.get_json()["error"]) == (403, "forbidden")
    login(client, staff.facilitator)
    csrf = csrf_from(client.get("/account/tokens").get_data(as_text=True))
    made = client.post(ME, json={"name": "Från webben", "days": 7},
                       headers={"X-CSRFToken": csrf})
    assert made.status_code == 201, made.get_json()
    body = made.get_json()
    assert made.headers["Cache-Control"] == "private, no-store"
    assert body["api_token"]["name"] == "Från webben"
    assert client.get(ME, headers=bearer(body["token"])).status_code == 200
    bad = client.post(ME, json={"name": "Ok", "days": 400}, headers={"X-CSRFToken": csrf})
    assert (bad.status_code, bad.get_json()["field"]) == (400, "days")


# --- the page --------------------------------------------------------------------------------


def _page_csrf(client) -> tuple[str, str]:
    page = client.get("/account/tokens")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    return html, csrf_from(html)


def test_the_page_creates_shows_once_lists_and_revokes(client, staff):
    login(client, staff.facilitator)
    html, csrf = _page_csrf(client)
    assert "Mina API-nycklar" in html
    assert 'href="/account/tokens"' in client.get("/konto").get_data(as_text=True)  # Ditt konto
    made = client.post("/account/tokens", data={"csrf_token": csrf, "name": "Power BI",
                                                "days": "30"})
    assert made.status_code == 201
    assert made.headers["Cache-Control"] == "private, no-store"
    value = re.search(r'id="issued-token" type="text" readonly value="(pt_[^"]+)"',
                      made.get_data(as_text=True)).group(1)
    assert client.get(ME, headers=bearer(value)).status_code == 200
    again, _csrf = _page_csrf(client)
    assert "Power BI" in again and value not in again  # listed, never shown again
    db.session.commit()
    row = db.session.scalar(select(ApiToken).where(ApiToken.digest == ApiToken.hash(value)))
    assert row.expires_at - row.created_at == timedelta(days=30)
    revoked = client.post(f"/account/tokens/{row.id}/revoke", data={"csrf_token": csrf})
    assert revoked.status_code == 302
    after = client.get("/account/tokens").get_data(as_text=True)
    assert "Återkallad" in after and f"/account/tokens/{row.id}/revoke" not in after
    assert client.get(ME, headers=bearer(value)).status_code == 401


def test_the_page_refuses_bad_input_and_other_users_tokens(client, staff):
    _value, theirs = issue_token(staff.other, "Deras")
    login(client, staff.facilitator)
    _html, csrf = _page_csrf(client)
    count = db.session.query(ApiToken).count()
    for data in ({"name": "", "days": "30"}, {"name": "Ok", "days": "0"},
                 {"name": "Ok", "days": "tio"}, {"name": "x" * 81, "days": "30"}):
        response = client.post("/account/tokens", data={"csrf_token": csrf, **data})
        assert response.status_code == 422, data
        assert 'aria-invalid="true"' in response.get_data(as_text=True)
    no_csrf = client.post("/account/tokens", data={"name": "Ok", "days": "30"})
    assert no_csrf.status_code == 400
    assert db.session.query(ApiToken).count() == count
    other = client.post(f"/account/tokens/{theirs.id}/revoke", data={"csrf_token": csrf})
    assert other.status_code == 404
    assert _row(theirs.id).revoked_at is None


def test_the_page_needs_a_login(client):
    response = client.get("/account/tokens")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


# --- the CLI ---------------------------------------------------------------------------------


def test_cli_issues_lists_and_revokes(app, client, staff):
    runner = app.test_cli_runner()
    plain = runner.invoke(args=["users", "token", "fac@example.se"])
    assert plain.exit_code == 0, plain.output
    old_style = plain.output.strip().splitlines()[-1]
    assert client.get(ME, headers=bearer(old_style)).status_code == 200
    named = runner.invoke(args=["users", "token", "FAC@example.se", "--name", "Nattjobb",
                                "--days", "7"])
    assert named.exit_code == 0, named.output
    value = named.output.strip().splitlines()[-1]

    listed = runner.invoke(args=["users", "tokens", "fac@example.se"])
    assert listed.exit_code == 0, listed.output
    lines = listed.output.strip().splitlines()
    assert lines[0].split("\t")[:6] == ["id", "name", "created", "expires", "last used",
                                        "revoked"]
    names = [line.split("\t")[1] for line in lines[1:]]
    assert names == ["Nattjobb", "CLI", "Test"]
    assert value not in listed.output and old_style not in listed.output
    token_id = lines[1].split("\t")[0]

    revoked = runner.invoke(args=["users", "revoke-token", "fac@example.se", token_id])
    assert revoked.exit_code == 0, revoked.output
    assert client.get(ME, headers=bearer(value)).status_code == 401
    assert client.get(ME, headers=bearer(old_style)).status_code == 200
    # CLI actions are logged without a staff actor, naming the owner.
    assert (None, "token.revoke", f"fac@example.se #{token_id} Nattjobb") in _actions()

    everything = runner.invoke(args=["users", "revoke-token", "fac@example.se", "--all"])
    assert everything.exit_code == 0 and "2" in everything.output
    assert client.get(ME, headers=bearer(old_style)).status_code == 401


def test_cli_refuses_bad_input(app, staff):
    runner = app.test_cli_runner()
    _value, theirs = issue_token(staff.other, "Deras")
    for args in (["users", "token", "nobody@example.se"],
                 ["users", "token", "fac@example.se", "--days", "0"],
                 ["users", "token", "fac@example.se", "--name", ""],
                 ["users", "tokens", "nobody@example.se"],
                 ["users", "revoke-token", "fac@example.se", str(theirs.id)],
                 ["users", "revoke-token", "fac@example.se"],
                 ["users", "revoke-token", "fac@example.se", "1", "--all"]):
        result = runner.invoke(args=args)
        assert result.exit_code != 0, args
        assert result.exception is None or isinstance(result.exception, SystemExit), args
    assert _row(theirs.id).revoked_at is None


def test_the_bearer_check_on_both_databases(any_db_app, staff):
    client = any_db_app.test_client()
    live, row = issue_token(staff.facilitator, "Levande")
    expired, old = issue_token(staff.facilitator, "Gammal")
    _set(old.id, expires_at=utcnow() - timedelta(minutes=1))
    assert client.get(ME, headers=bearer(live)).status_code == 200
    assert _row(row.id).last_used_at is not None
    assert client.get(ME, headers=bearer(expired)).get_json()["error"] == "token_expired"
    assert revoke_all_tokens(staff.facilitator) == 3
    assert client.get(ME, headers=bearer(live)).get_json()["error"] == "token_revoked"
