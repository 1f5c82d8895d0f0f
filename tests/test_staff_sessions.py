"""Staff sessions live on the server and end when they should: logout, a new password, an
admin's sign-out-everywhere. A copy of the cookie then opens no page, no REST call and no
socket, and a staff socket open at that moment can no longer run the event."""

from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select, update

from participation.accounts.models import User
from participation.accounts.operations import change_password
from participation.accounts.sessions import StaffSession, end_sessions
from participation.core.errors import OperationError
from participation.events.models import Event
from participation.extensions import db

from .conftest import PASSWORD, Staff, csrf_from, join, login, make_app

NEW_PASSWORD = "a brand new passphrase"


def signed_in(app, user, password=PASSWORD):
    """A staff browser: logged in, with the page's CSRF token (as console.js sends it)."""
    http = app.test_client()
    assert login(http, user, password).status_code == 302
    http.csrf = csrf_from(http.get("/events").get_data(as_text=True))
    return http


def copy_of(app, http):
    """Another browser holding the same cookie: what a thief would have."""
    thief = app.test_client()
    thief.set_cookie("session", http.get_cookie("session").value)
    thief.csrf = http.csrf
    return thief


def set_timer(http, event_id):
    return http.post(f"/api/v1/events/{event_id}/timer", json={"seconds": 300},
                     headers={"X-CSRFToken": http.csrf})


def phase_of(event_id) -> str:
    db.session.rollback()  # end the test's read snapshot: see what the requests committed
    return db.session.scalar(select(Event.phase).where(Event.id == event_id))


def records() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(StaffSession))


def assert_worthless(http, event_id):
    page = http.get("/events")
    assert page.status_code == 302 and urlsplit(page.location).path == "/login"
    rest = set_timer(http, event_id)
    assert rest.status_code == 401, rest.get_json()
    assert rest.get_json()["error"] == "unauthorized"


def test_the_cookie_holds_only_an_id_and_the_session_lives_on_the_server(app, staff):
    before = records()
    http = signed_in(app, staff.facilitator)
    value = http.get_cookie("session").value
    assert "." not in value and staff.facilitator.email not in value
    assert records() == before + 1
    http.post("/logout", data={"csrf_token": http.csrf})
    assert records() == before


def test_logout_makes_a_copied_cookie_worthless_on_pages_and_rest(app, staff, make_event):
    event = make_event(phase="collect")
    http = signed_in(app, staff.facilitator)
    thief = copy_of(app, http)
    assert thief.get("/events").status_code == 200  # the copy works while the session does
    assert http.post("/logout", data={"csrf_token": http.csrf}).status_code == 302
    assert_worthless(thief, event.id)
    assert_worthless(http, event.id)


def test_a_new_password_ends_every_session_of_the_account(app, staff, make_event):
    event = make_event(phase="collect")
    office, phone = signed_in(app, staff.facilitator), signed_in(app, staff.facilitator)
    other = signed_in(app, staff.other)
    change_password(staff.facilitator.id, PASSWORD, NEW_PASSWORD)
    assert_worthless(office, event.id)
    assert_worthless(phone, event.id)
    assert other.get("/events").status_code == 200  # another account is not touched
    assert login(app.test_client(), staff.facilitator).status_code == 422
    fresh = signed_in(app, staff.facilitator, NEW_PASSWORD)
    assert set_timer(fresh, event.id).status_code == 200


def test_a_short_password_is_refused_and_ends_nothing(app, staff):
    http = signed_in(app, staff.facilitator)
    with pytest.raises(OperationError) as refused:
        change_password(staff.facilitator.id, PASSWORD, "short")
    assert refused.value.code == "weak_password"
    assert http.get("/events").status_code == 200


def test_an_admin_signs_an_account_out_everywhere_from_the_cli(app, staff, make_event):
    event = make_event(phase="collect")
    http = signed_in(app, staff.facilitator)
    result = app.test_cli_runner().invoke(args=["users", "signout", staff.facilitator.email])
    assert result.exit_code == 0, result.output
    assert "signed out everywhere" in result.output
    assert_worthless(http, event.id)
    unknown = app.test_cli_runner().invoke(args=["users", "signout", "nobody@example.se"])
    assert unknown.exit_code != 0
    with pytest.raises(OperationError):
        end_sessions(999999, "signout_everywhere")


def test_a_signed_cookie_never_carries_staff_identity(app, staff):
    """Sessions from before this change, or forged with a leaked key: no staff rights."""
    signer = app.session_interface.signed.get_signing_serializer(app)
    for user_id in (str(staff.facilitator.id), f"{staff.facilitator.id}:0"):
        forged = app.test_client()
        forged.set_cookie("session", signer.dumps({"_user_id": user_id, "_fresh": True}))
        assert forged.get("/events").status_code == 302


def test_a_staff_session_ends_at_its_limit(app, staff):
    http = signed_in(app, staff.facilitator)
    app.session_interface.staff.lifetime = 0.0
    assert http.get("/events").status_code == 302


def test_a_residents_tokens_survive_signing_in_and_out(app, staff, make_event):
    event = make_event(phase="collect")
    http = app.test_client()
    join(http, event)
    before = records()
    with http.session_transaction() as session:
        token = session["participants"]
    assert records() == before, "joining writes no session record"
    assert login(http, staff.facilitator).status_code == 302
    csrf = csrf_from(http.get("/events").get_data(as_text=True))
    http.post("/logout", data={"csrf_token": csrf})
    assert "." in http.get_cookie("session").value  # back to the signed cookie
    with http.session_transaction() as session:
        assert session["participants"] == token and "_user_id" not in session


def test_with_redis_the_sessions_live_in_redis_and_end_the_same(tmp_path, redis_url):
    import uuid

    import redis

    channel = f"test-sessions-{uuid.uuid4().hex[:12]}"
    # Redis for the sessions only: a message queue would not work with the socket test client.
    app = make_app(f"sqlite:///{tmp_path / 'redis.db'}", STAFF_SESSION_REDIS_URL=redis_url,
                   SOCKETIO_CHANNEL=channel)
    store = redis.Redis.from_url(redis_url)
    with app.app_context():
        db.create_all()
        staff = Staff()
        try:
            first, second = signed_in(app, staff.facilitator), signed_in(app, staff.facilitator)
            keys = list(store.scan_iter(f"{channel}:staff-session:*"))
            assert len(keys) == 2 and records() == 0
            thief = copy_of(app, first)
            first.post("/logout", data={"csrf_token": first.csrf})
            assert len(list(store.scan_iter(f"{channel}:staff-session:*"))) == 1
            assert thief.get("/events").status_code == 302
            assert second.get("/events").status_code == 200
            end_sessions(staff.facilitator.id, "signout_everywhere")
            assert second.get("/events").status_code == 302
        finally:
            for key in store.scan_iter(f"{channel}:*"):
                store.delete(key)
            db.session.remove()
            db.engine.dispose()


# --- staff sockets -----------------------------------------------------------------------------

def test_a_staff_socket_open_during_logout_can_no_longer_change_the_phase(app, room, staff):
    workshop = room(phase="collect")
    console = workshop.facilitator()
    assert console.connected
    console.http.csrf = csrf_from(console.http.get("/events").get_data(as_text=True))
    thief = copy_of(app, console.http)
    console.http.post("/logout", data={"csrf_token": console.http.csrf})
    assert not console.connected, "logging out closes the session's sockets"
    assert phase_of(workshop.id) == "collect"
    # The copied cookie cannot open a staff socket again either.
    again = workshop.connect(thief, {"csrf_token": thief.csrf, "event": workshop.id})
    assert not again.connected
    assert phase_of(workshop.id) == "collect"


def test_a_staff_socket_is_refused_once_its_session_is_over_even_unannounced(room, staff):
    """The session ended where no disconnect reached this process: the next command is
    refused, because every command reads the session again."""
    workshop = room(phase="collect")
    console = workshop.facilitator()
    assert console.call("set_timer", {"seconds": 60})["ok"]
    with db.engine.begin() as connection:  # what another process's end_sessions writes
        connection.execute(update(User).where(User.id == staff.facilitator.id)
                           .values(session_epoch=User.session_epoch + 1))
    ack = console.call("set_phase", {"phase": "vote"})
    assert ack == {"ok": False, "error": "signed_out", "message": ack["message"]}
    assert phase_of(workshop.id) == "collect"


def test_signing_out_everywhere_closes_the_accounts_sockets_only(room, staff):
    workshop = room(phase="collect")
    console, projector = workshop.facilitator(), workshop.facilitator()
    phone = workshop.phone()
    admin = workshop.facilitator(staff.admin)
    end_sessions(staff.facilitator.id, "signout_everywhere")
    assert not console.connected and not projector.connected
    assert phone.connected and admin.connected
    assert admin.call("set_phase", {"phase": "vote"})["ok"]


# --- login hardening -----------------------------------------------------------------------------

def _attempt(app, email, password, address):
    http = app.test_client()
    http.environ_base["REMOTE_ADDR"] = address
    page = http.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    return http.post("/login", data={"email": email, "password": password, "csrf_token": token})


def test_guesses_from_one_address_do_not_lock_the_real_user_out_from_another(app, staff):
    email = staff.facilitator.email
    answers = [_attempt(app, email, "wrong password!", "198.51.100.7").status_code
               for _ in range(5)]
    assert answers == [422] * 4 + [429]
    # The guesser's address stays locked for this account, even with the right password...
    assert _attempt(app, email, PASSWORD, "198.51.100.7").status_code == 429
    # ...but the real user, from their own address, signs in.
    real = _attempt(app, email, PASSWORD, "203.0.113.20")
    assert real.status_code == 302 and urlsplit(real.location).path == "/events"


@pytest.mark.parametrize("target", ["/%09/evil.example", "/%0d%0aX", "/%0d%0aSet-Cookie:x=1"])
def test_a_next_with_control_characters_lands_on_a_local_page(app, staff, target):
    http = app.test_client()
    page = http.get(f"/login?next={target}").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    answer = http.post(f"/login?next={target}", data={
        "email": staff.facilitator.email, "password": PASSWORD, "csrf_token": token})
    assert answer.status_code == 302
    parts = urlsplit(answer.location)
    assert not parts.netloc and parts.path == "/events", answer.location
    assert "Set-Cookie" not in answer.location and "\n" not in answer.location
    assert http.get(answer.location).status_code == 200
