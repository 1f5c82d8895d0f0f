"""Operations: request logs without secrets, the staff audit log, backups, /healthz."""

import json
import logging
import sqlite3

import pytest
from sqlalchemy import select

from participation.core.errors import OperationError
from participation.events.operations import change_phase, set_timer
from participation.events.tables import set_table_count
from participation.extensions import db
from participation.members import operations as members
from participation.ops.models import StaffAudit
from participation.participants.models import Participant
from participation.proposals import operations as ops
from participation.web import logs

from .conftest import csrf_from, login, make_app

API = "/api/v1"


def audit_rows():
    db.session.rollback()
    return [(e.actor, e.action, e.event_id, e.target)
            for e in db.session.scalars(select(StaffAudit).order_by(StaffAudit.id))]


# --- logs --------------------------------------------------------------------------------------

def test_request_logs_name_the_route_never_the_secret_in_the_path(app, make_event, staff,
                                                                  caplog):
    event = make_event(phase="collect")
    ops.submit_proposal(event.id, "anna", "Fler träd", "", "client-log-1")
    db.session.rollback()
    follow_code = db.session.scalar(select(Participant.follow_code)
                                    .where(Participant.follow_code.is_not(None)))
    group = make_event(kind="referensgrupp", phase="collect")
    invite = members.add_member(staff.facilitator, group.id, "Anna Andersson",
                                email="anna@example.se")["invite_token"]
    browser = app.test_client()
    agent = "Unik-Agent/4711"
    with caplog.at_level(logging.INFO, logger="participation.requests"):
        assert browser.get(f"/folj/{follow_code}", headers={"User-Agent": agent},
                           environ_base={"REMOTE_ADDR": "203.0.113.9"}).status_code == 200
        assert browser.get(f"/i/{invite}").status_code == 200
        assert browser.get(f"/j/{event.code}").status_code == 200
        assert browser.get(f"/folj/{'x' * 16}").status_code == 404
    records = [r for r in caplog.records if r.name == "participation.requests"]
    assert [(r.method, r.route, r.status) for r in records] == [
        ("GET", "/folj/<follow_code>", 200), ("GET", "/i/<token>", 200),
        ("GET", "/j/<code>", 200), ("GET", "/folj/<follow_code>", 404)]
    assert all(isinstance(r.duration_ms, float) for r in records)
    text = caplog.text
    for secret in (follow_code, invite, event.code, "x" * 16, agent, "203.0.113.9",
                   "Anna Andersson", "anna@example.se"):
        assert secret not in text


def test_json_log_lines_carry_the_fields_and_nothing_else(app, caplog):
    with caplog.at_level(logging.INFO, logger="participation.requests"):
        app.test_client().get("/healthz?token=hemligt")
    (record,) = [r for r in caplog.records if r.name == "participation.requests"]
    line = json.loads(logs.JsonFormatter().format(record))
    assert {k: line[k] for k in ("method", "route", "status", "level", "logger")} == {
        "method": "GET", "route": "/healthz", "status": 200, "level": "INFO",
        "logger": "participation.requests"}
    assert "hemligt" not in json.dumps(line)


def test_log_format_json_installs_the_json_formatter(tmp_path):
    base = logging.getLogger("participation")
    saved = base.handlers[:], base.propagate, base.level
    try:
        app = make_app(f"sqlite:///{tmp_path / 'x.db'}")
        assert not any(isinstance(h.formatter, logs.JsonFormatter) for h in base.handlers)
        app.config["LOG_FORMAT"] = "json"
        logs.configure(app)
        assert [type(h.formatter) for h in base.handlers] == [logs.JsonFormatter]
        assert base.propagate is False
    finally:
        base.handlers, base.propagate = saved[0], saved[1]
        base.setLevel(saved[2])


# --- the staff audit log ----------------------------------------------------------------------

def test_staff_actions_are_audited_in_their_own_transactions(app, make_event, staff):
    event = make_event()
    change_phase(staff.facilitator, event.id, "collect")
    set_timer(staff.facilitator, event.id, 120)
    set_table_count(staff.facilitator, event.id, 3)
    with pytest.raises(OperationError):
        change_phase(staff.facilitator, event.id, "closed")  # refused: no audit row either
    with pytest.raises(OperationError):
        change_phase(staff.other, event.id, "vote")
    fac = "fac@example.se"
    assert audit_rows() == [(fac, "event.create", event.id, event.code),
                            (fac, "event.phase", event.id, "collect"),
                            (fac, "event.timer", event.id, "120"),
                            (fac, "event.tables", event.id, "3")]


def test_login_and_logout_are_audited_and_admins_read_the_log(app, staff):
    browser = app.test_client()
    assert login(browser, staff.facilitator).status_code in (302, 303)
    csrf = csrf_from(browser.get("/events").get_data(as_text=True))
    assert login(app.test_client(), staff.facilitator, "wrong password").status_code == 422
    browser.post("/logout", data={"csrf_token": csrf})
    assert audit_rows() == [("fac@example.se", "login", None, None),
                            ("fac@example.se", "logout", None, None)]
    http = app.test_client()
    answer = http.get(f"{API}/audit", headers=staff.auth(staff.admin))
    assert answer.status_code == 200
    entries = answer.get_json()["entries"]
    assert [e["action"] for e in entries] == ["logout", "login"]  # newest first
    assert set(entries[0]) == {"id", "at", "actor", "action", "event_id", "target"}
    page = http.get(f"{API}/audit?limit=1&before={entries[0]['id']}",
                    headers=staff.auth(staff.admin)).get_json()["entries"]
    assert [e["action"] for e in page] == ["login"]
    for user in (staff.facilitator, staff.reviewer):
        assert http.get(f"{API}/audit", headers=staff.auth(user)).status_code == 403
    assert http.get(f"{API}/audit").status_code == 401
    for query, field in (("limit=0", "limit"), ("limit=501", "limit"), ("limit=abc", "limit"),
                         ("limit=%C2%B2", "limit"), ("before=-1", "before"),
                         ("before=99999999999999999999", "before"), ("before=", "before")):
        refused = http.get(f"{API}/audit?{query}", headers=staff.auth(staff.admin))
        assert refused.status_code == 400, query
        assert refused.get_json()["field"] == field


def test_openapi_describes_the_audit_route(app):
    spec = app.test_client().get(f"{API}/openapi.json").get_json()
    assert set(spec["paths"]["/audit"]) == {"get"}


# --- backup --------------------------------------------------------------------------------------

def test_backup_copies_the_sqlite_database_online(app, make_event, tmp_path):
    make_event(title="Säkerhetskopian")
    target = tmp_path / "copies" / "backup.db"
    result = app.test_cli_runner().invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert f"Backed up to {target}" in result.output
    copy = sqlite3.connect(target)
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("SELECT title FROM events").fetchall() == [("Säkerhetskopian",)]
    finally:
        copy.close()
    again = app.test_cli_runner().invoke(args=["backup", str(target)])
    assert again.exit_code != 0 and "exists already" in again.output


# The PostgreSQL backup, restore and their round trip: tests/test_backup_restore.py.


# --- /healthz ------------------------------------------------------------------------------------

def test_healthz_is_503_when_a_configured_redis_does_not_answer(app):
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    answer = app.test_client().get("/healthz")
    assert answer.status_code == 503
    assert answer.get_json() == {"status": "unavailable", "database": "ok",
                                 "redis": "unavailable"}


def test_healthz_is_503_when_the_database_does_not_answer(tmp_path):
    broken = make_app(f"sqlite:///{tmp_path / 'missing-dir' / 'x.db'}")
    answer = broken.test_client().get("/healthz")
    assert answer.status_code == 503
    assert answer.get_json() == {"status": "unavailable", "database": "unavailable",
                                 "redis": "not_configured"}


def test_healthz_reports_a_real_redis(app, redis_url):
    app.config["REDIS_URL"] = redis_url
    answer = app.test_client().get("/healthz")
    assert answer.status_code == 200
    assert answer.get_json() == {"status": "ok", "database": "ok", "redis": "ok"}


def test_referensgrupp_member_changes_are_audited_without_the_members_name(app, make_event,
                                                                         staff):
    group = make_event(kind="referensgrupp", phase="collect")
    member = members.add_member(staff.facilitator, group.id, "Anna Andersson")["member"]
    members.reissue_invitation(staff.facilitator, member["id"])
    members.revoke_member(staff.facilitator, member["id"])
    members.revoke_member(staff.facilitator, member["id"])  # already revoked: nothing new
    rows = [row for row in audit_rows() if row[1].startswith("member.")]
    target = f"member:{member['id']}"
    assert rows == [("fac@example.se", "member.add", group.id, target),
                    ("fac@example.se", "member.reissue", group.id, target),
                    ("fac@example.se", "member.revoke", group.id, target)]
