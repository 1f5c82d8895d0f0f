"""One-time links to set a staff password: made by an admin (page or CLI), mailed when SMTP is
configured, working once and for 24 hours; the invitation of a new account is the same link."""

import re
from datetime import timedelta

import pytest

from participation.accounts import resets
from participation.accounts.models import PasswordReset, User
from participation.core.time import utcnow
from participation.extensions import db

from .conftest import PASSWORD, csrf_from, login, make_app
from .support.mailbox import Mailbox

NEW_PASSWORD = "ett nytt långt lösenord"
LINK = re.compile(r'id="reset-url">(http://testserver/konto/aterstall/[A-Za-z0-9_-]+)<')


@pytest.fixture
def ended(monkeypatch):
    """The people whose sessions the operations ended (sessions.py does the ending)."""
    calls = []
    for module in ("resets", "manage", "operations"):
        monkeypatch.setattr(f"participation.accounts.{module}.end_sessions",
                            lambda user_id, reason: calls.append((user_id, reason)))
    return calls


def _admin(app, staff):
    client = app.test_client()
    assert login(client, staff.admin).status_code in (302, 303)
    return client


def _path(url: str) -> str:
    return url.removeprefix("http://testserver")


def _make_link(app, staff, user) -> str:
    client = _admin(app, staff)
    page = client.get(f"/admin/konton/{user.id}").get_data(as_text=True)
    answer = client.post(f"/admin/konton/{user.id}/aterstallningslank",
                         data={"csrf_token": csrf_from(page)})
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    return _path(LINK.search(answer.get_data(as_text=True)).group(1))


def _set_password(client, path, password, confirm=None):
    page = client.get(path)
    if page.status_code != 200:
        return page
    return client.post(path, data={"csrf_token": csrf_from(page.get_data(as_text=True)),
                                   "password": password, "confirm": confirm or password})


def _can_log_in(app, user, password) -> bool:
    return login(app.test_client(), user, password).status_code in (302, 303)


def test_a_reset_link_sets_the_password_once_and_ends_the_sessions(any_db_app, staff, ended):
    app = any_db_app
    user = staff.facilitator
    path = _make_link(app, staff, user)
    person = app.test_client()
    page = person.get(path)
    assert page.status_code == 200 and "fac@example.se" in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"
    done = _set_password(person, path, NEW_PASSWORD)
    assert done.status_code == 303 and done.headers["Location"].endswith("/login")
    assert _can_log_in(app, user, NEW_PASSWORD)
    assert not _can_log_in(app, user, PASSWORD)
    assert (user.id, "password_reset") in ended
    # Spent: neither the page nor a second post works, and the password stays.
    assert app.test_client().get(path).status_code == 404
    # With a valid CSRF token (the login page's), so that it is the spent link that refuses
    # the post (404, as for the page) and not CSRFProtect (400).
    other = app.test_client()
    token = csrf_from(other.get("/login").get_data(as_text=True))
    again = other.post(path, data={"csrf_token": token, "password": "x" * 20,
                                   "confirm": "x" * 20})
    assert again.status_code == 404
    assert _can_log_in(app, user, NEW_PASSWORD)


def test_a_link_expires_after_24_hours(app, staff, monkeypatch):
    user = staff.reviewer
    path = _make_link(app, staff, user)
    start = utcnow()
    monkeypatch.setattr(resets, "utcnow", lambda: start + timedelta(hours=23, minutes=59))
    assert app.test_client().get(path).status_code == 200
    monkeypatch.setattr(resets, "utcnow", lambda: start + timedelta(hours=24, seconds=1))
    assert app.test_client().get(path).status_code == 404
    token = path.rsplit("/", 1)[1]
    with pytest.raises(resets.OperationError) as refused:
        resets.use_reset(token, NEW_PASSWORD)
    assert refused.value.code == "invalid_link"
    assert _can_log_in(app, user, PASSWORD) and not _can_log_in(app, user, NEW_PASSWORD)


def test_a_short_or_mistyped_password_changes_nothing_and_the_link_still_works(app, staff):
    user = staff.facilitator
    path = _make_link(app, staff, user)
    person = app.test_client()
    short = _set_password(person, path, "kort lösen")
    assert short.status_code == 422 and "12" in short.get_data(as_text=True)
    mistyped = _set_password(person, path, NEW_PASSWORD, NEW_PASSWORD + "!")
    assert mistyped.status_code == 422
    assert _can_log_in(app, user, PASSWORD)
    assert _set_password(person, path, NEW_PASSWORD).status_code == 303


def test_a_newer_link_replaces_the_older_one(app, staff):
    first = _make_link(app, staff, staff.facilitator)
    second = _make_link(app, staff, staff.facilitator)
    assert app.test_client().get(first).status_code == 404
    assert app.test_client().get(second).status_code == 200
    # Only digests are stored.
    token = second.rsplit("/", 1)[1]
    assert not db.session.query(PasswordReset).filter_by(digest=token).count()


def test_the_link_is_mailed_to_a_real_smtp_server(tmp_path, staff_mail_app):
    app, mailbox = staff_mail_app
    user = db.session.query(User).filter_by(email="fac@example.se").one()
    client = app.test_client()
    assert login(client, db.session.query(User).filter_by(role="admin").one()).status_code == 302
    page = client.get(f"/admin/konton/{user.id}").get_data(as_text=True)
    answer = client.post(f"/admin/konton/{user.id}/aterstallningslank",
                         data={"csrf_token": csrf_from(page)}).get_data(as_text=True)
    shown = LINK.search(answer).group(1)
    assert "skickades också med e-post" in answer
    [(recipients, message)] = mailbox.messages
    assert recipients == ["fac@example.se"]
    assert message["From"] == "noreply@kommun.example"
    assert message["Subject"].startswith("Välj ett nytt lösenord")
    assert shown in message.get_content()
    assert _set_password(app.test_client(), _path(shown), NEW_PASSWORD).status_code == 303
    assert _can_log_in(app, user, NEW_PASSWORD)


@pytest.fixture
def staff_mail_app(tmp_path):
    from .conftest import Staff

    with Mailbox() as mailbox:
        app = make_app(f"sqlite:///{tmp_path / 'mail.db'}", **mailbox.config())
        with app.app_context():
            db.create_all()
            Staff()
            yield app, mailbox
            db.session.remove()
            db.engine.dispose()


def test_an_invitation_creates_the_account_and_its_link_sets_the_first_password(app, staff):
    client = _admin(app, staff)
    page = client.get("/admin/konton").get_data(as_text=True)
    answer = client.post("/admin/konton", data={"csrf_token": csrf_from(page),
                                                "email": "Ny.Person@Kommun.se",
                                                "role": "reviewer"})
    assert answer.status_code == 200
    path = _path(LINK.search(answer.get_data(as_text=True)).group(1))
    db.session.remove()
    user = db.session.query(User).filter_by(email="ny.person@kommun.se").one()
    assert user.role == "reviewer" and user.is_active
    assert _set_password(app.test_client(), path, NEW_PASSWORD).status_code == 303
    assert _can_log_in(app, user, NEW_PASSWORD)
    # The same address again is refused on the form, and nothing more is created.
    page = client.get("/admin/konton").get_data(as_text=True)
    twice = client.post("/admin/konton", data={"csrf_token": csrf_from(page),
                                               "email": "ny.person@kommun.se",
                                               "role": "admin"})
    assert twice.status_code == 422
    db.session.remove()
    assert db.session.query(User).filter_by(email="ny.person@kommun.se").one().role == "reviewer"


def test_the_command_line_makes_links_and_disables(app, staff):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "reset-link", "rev@example.se"])
    assert result.exit_code == 0, result.output
    url = result.output.strip().splitlines()[-1]
    assert url.startswith("http://testserver/konto/aterstall/")
    assert _set_password(app.test_client(), _path(url), NEW_PASSWORD).status_code == 303
    assert runner.invoke(args=["users", "disable", "rev@example.se"]).exit_code == 0
    assert not _can_log_in(app, staff.reviewer, NEW_PASSWORD)
    assert runner.invoke(args=["users", "enable", "rev@example.se"]).exit_code == 0
    assert _can_log_in(app, staff.reviewer, NEW_PASSWORD)
    unknown = runner.invoke(args=["users", "reset-link", "nobody@example.se"])
    assert unknown.exit_code != 0 and "Traceback" not in unknown.output
    created = runner.invoke(args=["users", "create", "cli@example.se", "--role", "facilitator"])
    assert created.exit_code == 0 and "Password: " in created.output


def test_the_login_page_says_whom_to_ask(client):
    page = client.get("/login").get_data(as_text=True)
    assert "/login/glomt" in page
    forgot = client.get("/login/glomt").get_data(as_text=True)
    assert "administratör" in forgot
