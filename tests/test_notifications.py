"""After the evening: every participant's follow link (voters too), and opt-in e-mail when what
they wrote or voted for changes status, delivered to a real SMTP server (tests/support/mailbox)
by the sending job, never by the request."""

import html
import re
from datetime import timedelta

import pytest
from flask import current_app
from sqlalchemy import func, select, update

from participation.core.time import utcnow
from participation.events.operations import change_phase
from participation.extensions import db
from participation.notifications.models import MailMessage, Subscription
from participation.privacy import purge as purging
from participation.review.operations import set_review
from participation.web.mail_outbox import send_waiting

from .conftest import app_on_sqlite, csrf_from
from .support.mailbox import Mailbox
from .test_forms_nojs import Resident

FOLLOW = re.compile(r'id="follow-link" href="([^"]+)"')


@pytest.fixture
def mailbox():
    with Mailbox() as box:
        yield box


@pytest.fixture
def app(tmp_path, mailbox):
    """This module's app sends mail to the test's own SMTP server (every fixture uses it)."""
    yield from app_on_sqlite(tmp_path / "mail.db", **mailbox.config())


@pytest.fixture
def mail_app(app):
    return app


@pytest.fixture
def evening(mail_app, make_event, staff):
    event = make_event(phase="collect")
    author, voter = Resident(mail_app.test_client(), event.code), \
        Resident(mail_app.test_client(), event.code)
    author.propose("Fler cykelbanor till skolorna")
    pid = int(re.search(r'id="proposal-(\d+)"', author.page).group(1))
    change_phase(staff.facilitator, event.id, "vote")
    voter.open()
    assert FOLLOW.search(voter.page) is None  # nothing to follow before taking part
    voter.vote(pid)
    return event, pid, author, voter


def follow_path(resident) -> str:
    url = FOLLOW.search(resident.page)
    assert url, "the phone shows no follow link"
    return html.unescape(url.group(1)).removeprefix("http://testserver")


def subscribe(resident, address):
    path = follow_path(resident)
    page = resident.http.get(path).get_data(as_text=True)
    return resident.http.post(f"{path}/epost", data={"csrf_token": csrf_from(page),
                                                     "email": address})


def link_in(message, path_part) -> str:
    body = message.get_content()
    match = re.search(rf"http://testserver(/\S*{path_part}\S*)", body)
    assert match, body
    return match.group(1)


def confirm(resident, mailbox, address):
    assert subscribe(resident, address).status_code == 302
    before = len(mailbox.messages)
    assert send_waiting(current_app._get_current_object()) == 1
    [(to, message)] = mailbox.messages[before:]
    assert [a.lower() for a in to] == [address.lower()]
    page_path = link_in(message, "epost/")
    page = resident.http.get(page_path).get_data(as_text=True)
    assert "Ja, bekräfta" in page or "Yes, confirm" in page
    assert db.session.scalar(select(Subscription.confirmed_at)
                             .where(Subscription.address == address)) is None
    done = resident.http.post(f"{page_path}/bekrafta", data={"csrf_token": csrf_from(page)})
    assert done.status_code == 302
    db.session.rollback()
    return message


def test_a_voter_only_phone_gets_a_follow_link_and_erases_its_votes(evening):
    event, pid, _author, voter = evening
    path = follow_path(voter)
    page = voter.http.get(path).get_data(as_text=True)
    assert "Fler cykelbanor till skolorna" in page  # what they voted for, as the public sees it
    # The REST answer is built from the same shape.
    answer = voter.http.get("/api/v1" + path.replace("/folj/", "/follow/")).get_json()
    assert answer["proposals"] == []
    assert answer["supported"] == [{"number": 1, "title": "Fler cykelbanor till skolorna",
                                    "review_status": "received", "public_answer": None}]
    erase = voter.http.get(f"{path}/radera").get_data(as_text=True)
    voter.http.post(f"{path}/radera", data={"csrf_token": csrf_from(erase)})
    from participation.proposals.models import Vote
    db.session.rollback()
    assert db.session.scalar(select(func.count(Vote.id)).where(Vote.event_id == event.id)) == 0


def test_one_message_per_status_change_to_author_and_voter_and_none_after_unsubscribing(
        evening, mailbox, staff):
    event, pid, author, voter = evening
    confirmation = confirm(author, mailbox, "forfattare@example.se")
    assert confirmation["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    confirm(voter, mailbox, "Roestare@Example.SE")
    start = len(mailbox.messages)

    set_review(staff.reviewer, pid, "reviewing")
    assert len(mailbox.messages) == start  # the change itself sends nothing: the job does
    assert send_waiting(current_app._get_current_object()) == 2
    got = mailbox.messages[start:]
    assert sorted(to for [to], _m in got) == ["Roestare@example.se", "forfattare@example.se"]
    for _to, message in got:
        body = message.get_content()
        assert "Förslag 1" in body and "Handläggs" in body
        # The proposal's text does not travel by mail: only its number.
        assert "cykelbanor" not in body
        assert str(message["List-Unsubscribe"]).strip().startswith("<http://testserver/epost/")

    # A new public answer with the same status is no new status.
    set_review(staff.reviewer, pid, "reviewing", "Vi tittar på det.")
    assert send_waiting(current_app._get_current_object()) == 0

    # The voter stops the messages from the link in one (the one-click POST, no CSRF token).
    voter_message = next(m for [to], m in got if to.startswith("Roestare"))
    unsubscribe = re.search(r"<http://testserver(\S+)>", voter_message["List-Unsubscribe"])
    assert voter.http.post(unsubscribe.group(1)).status_code == 200
    db.session.rollback()
    assert db.session.scalar(select(func.count(Subscription.id)).where(
        Subscription.address.like("Roestare%"))) == 0

    set_review(staff.reviewer, pid, "not_pursued", "Det beslutar Trafikverket.")
    start = len(mailbox.messages)
    assert send_waiting(current_app._get_current_object()) == 1
    [(to, _message)] = mailbox.messages[start:]
    assert to == ["forfattare@example.se"]


def test_results_are_told_once(evening, mailbox, staff):
    event, _pid, author, _voter = evening
    confirm(author, mailbox, "a@example.se")
    change_phase(staff.facilitator, event.id, "results")
    start = len(mailbox.messages)
    assert send_waiting(current_app._get_current_object()) == 1
    assert "resultat" in mailbox.messages[start][1]["Subject"].lower()
    change_phase(staff.facilitator, event.id, "closed")
    assert send_waiting(current_app._get_current_object()) == 0


def test_nothing_is_sent_before_confirmation_and_a_stranger_is_not_flooded(evening, mailbox,
                                                                            staff, mail_app):
    event, pid, author, voter = evening
    assert subscribe(author, "x@example.se").status_code == 302
    set_review(staff.reviewer, pid, "reviewing")
    assert send_waiting(mail_app) == 1  # the confirmation only
    assert "Bekräfta" in mailbox.messages[-1][1]["Subject"]
    # More phones asking for the same stranger's address, in any case: at most three
    # confirmations a day to it.
    for _ in range(4):
        extra = Resident(mail_app.test_client(), event.code)
        extra.vote(pid)
        subscribe(extra, "X@Example.se")
    assert send_waiting(mail_app) == 2
    # One follow link asking again and again, switching addresses: at most five a day.
    sent = 0
    for n in range(8):
        assert subscribe(voter, f"other{n % 2}@example.se").status_code == 302
        sent += send_waiting(mail_app)
    assert sent == 5


def test_a_refused_send_is_tried_again(evening):
    event, _pid, author, _voter = evening
    down = Mailbox()  # not started: the relay refuses connections
    app = current_app._get_current_object()
    app.config["SMTP_PORT"] = down.port
    assert subscribe(author, "a@example.se").status_code == 302
    assert send_waiting(app) == 0
    db.session.rollback()
    message = db.session.scalar(select(MailMessage))
    assert message.attempts == 1 and message.next_attempt_at > utcnow()
    with down:
        assert send_waiting(app) == 0  # not due yet
        db.session.execute(update(MailMessage).values(next_attempt_at=utcnow()))
        db.session.commit()
        assert send_waiting(app) == 1
        assert len(down.messages) == 1


def test_bad_addresses_are_refused_on_the_page(evening):
    _event, _pid, author, _voter = evening
    # Nothing a mail header would read as another recipient, a name or an encoded word.
    for bad in ("", "inte-en-adress", "a@b", "a@example.se\r\nBcc: x@evil.example",
                "x" * 250 + "@example.se", "alice,x@example.se", "alice;bob,x@example.se",
                "x@example.se>,<y", "a<b>c@example.se", "=?utf-8?q?a?=@example.se",
                '"v"ictim@example.se', "(1)victim@example.se", "åsa@example.se"):
        response = subscribe(author, bad)
        assert response.status_code == 422
        assert 'aria-invalid="true"' in response.get_data(as_text=True)
    db.session.rollback()
    assert db.session.scalar(select(func.count(Subscription.id))) == 0


def test_erasure_and_purge_delete_the_address(evening, mailbox, staff):
    event, _pid, author, voter = evening
    confirm(author, mailbox, "a@example.se")
    confirm(voter, mailbox, "b@example.se")
    path = follow_path(author)
    erase = author.http.get(f"{path}/radera").get_data(as_text=True)
    author.http.post(f"{path}/radera", data={"csrf_token": csrf_from(erase)})
    db.session.rollback()
    assert db.session.scalars(select(Subscription.address)).all() == ["b@example.se"]
    change_phase(staff.facilitator, event.id, "results")
    change_phase(staff.facilitator, event.id, "closed")
    purging.purge(0, now=utcnow() + timedelta(days=1))
    db.session.rollback()
    assert db.session.scalar(select(func.count(Subscription.id))) == 0


def test_without_smtp_the_follow_page_offers_no_mail(app, make_event, staff):
    app.config["SMTP_HOST"] = None
    event = make_event(phase="collect")
    resident = Resident(app.test_client(), event.code)
    resident.propose("Solceller på taken")
    path = follow_path(resident)
    page = resident.http.get(path).get_data(as_text=True)
    assert "epost" not in page and 'type="email"' not in page
    answer = resident.http.post(f"{path}/epost", data={"email": "a@example.se",
                                                       "csrf_token": csrf_from(page)})
    assert answer.status_code == 404
    assert resident.http.get("/epost/" + "a" * 24).status_code == 404


def test_without_a_public_base_url_no_mail_is_offered(app, evening):
    """Mailed links never take their host from a request: no PUBLIC_BASE_URL, no offer."""
    app.config["PUBLIC_BASE_URL"] = None
    _event, _pid, author, _voter = evening
    path = follow_path(author)
    page = author.http.get(path).get_data(as_text=True)
    assert 'type="email"' not in page
    answer = author.http.post(f"{path}/epost", data={"email": "a@example.se",
                                                     "csrf_token": csrf_from(page)})
    assert answer.status_code == 404


def test_the_address_is_in_no_export_or_staff_page(evening, mailbox, staff, mail_app):
    from .conftest import login
    event, pid, author, _voter = evening
    confirm(author, mailbox, "hemlig.adress@example.se")
    reviewer = mail_app.test_client()
    login(reviewer, staff.reviewer)
    for path in ("/review/proposals.csv?dialect=excel-sv", "/review/proposals.json",
                 "/review/votes.csv", f"/review/events/{event.id}",
                 f"/events/{event.id}/report", f"/review/proposals/{pid}",
                 f"/api/v1/events/{event.id}/results"):
        body = reviewer.get(path)
        assert body.status_code == 200, path
        assert b"hemlig.adress" not in body.data, path
