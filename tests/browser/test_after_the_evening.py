"""After the evening, as a resident lives it: on a 360 px phone with JavaScript, a person who
only votes gets their follow link at once, answers who they are (voluntarily), opens the link,
leaves an e-mail address, confirms it from the message the real server process mailed to a
real SMTP server, and is told once when the project team changes the proposal's status."""

import re

import pytest
import requests
from playwright.sync_api import expect

from ..support.live import LiveServer
from ..support.mailbox import Mailbox
from .a11y_support import run_axe
from .conftest import log_in
from .test_workshop import connected, no_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.live]

SCREEN = {"width": 360, "height": 640}


def mail_for(mailbox, address, count, server):
    """The messages for `address` once there are `count`; the server's loop sends them within
    its interval (0.2 s), so the deadline only bounds a failure."""
    import time
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        found = [m for to, m in list(mailbox.messages) if address in to]
        if len(found) >= count:
            return found
        time.sleep(0.05)
    raise AssertionError(f"{len(found)} messages for {address}:\n" + server.read_log()[-3000:])


@pytest.fixture(scope="module")
def mailing_server(tmp_path_factory):
    with Mailbox() as mailbox:
        server = LiveServer(tmp_path_factory.mktemp("mailing"), {
            "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(mailbox.port), "SMTP_STARTTLS": "0",
            "MAIL_FROM": "deltagande@kommun.example", "MAIL_INTERVAL_SECONDS": "0.2"})
        server.start(staff=(("fac@live.se", "facilitator"), ("rev@live.se", "reviewer")))
        yield server, mailbox
        server.stop()


def test_a_voter_follows_answers_who_and_is_told_by_mail(mailing_server, contexts, shots):
    server, mailbox = mailing_server
    event = server.create_event(title="Verkstad i Ersboda", prompt="Hur reser vi hållbart?",
                                asks_demographics=True)
    server.set_phase(event["id"], "collect")
    author = server.phone(event["code"])
    written = author.http.post(f"{server.url}/api/v1/events/{event['id']}/proposals",
                               json={"title": "Fler cykelbanor till skolan",
                                     "client_id": "a" * 32}, timeout=10)
    assert written.status_code == 201, written.text
    pid = written.json()["proposal"]["id"]
    server.set_phase(event["id"], "vote")

    phone = contexts(viewport=SCREEN, is_mobile=True, has_touch=True).new_page()
    phone.goto(f"{server.url}/j/{event['code']}")
    connected(phone, "#connection")
    expect(phone.locator("#follow-box")).to_be_hidden()
    expect(phone.locator("#who")).to_be_hidden()  # asked once the phone has taken part
    phone.locator(f"#proposal-{pid} .vote-button").click()
    # The vote made the person's follow link; it shows without a reload.
    expect(phone.locator("#follow-box")).to_be_visible()
    follow_url = phone.locator("#follow-link").get_attribute("href")
    assert re.fullmatch(re.escape(server.url) + r"/folj/[\w-]{16}", follow_url)

    # Who is taking part: voluntary, once; a plain form.
    who = phone.locator("#who")
    who.scroll_into_view_if_needed()
    shots(phone, "after-phone-who", full_page=False)
    who.locator("select[name=who-age_band]").select_option("30-44")
    who.locator("button[type=submit]").click()
    expect(phone.locator(".flash")).to_contain_text("Tack! Det hjälper kommunen")
    expect(phone.locator("#who")).to_have_count(0)

    # The follow page: the proposal voted for, and the offer of e-mail.
    phone.goto(follow_url)
    expect(phone.locator("h3", has_text="Fler cykelbanor till skolan")).to_be_visible()
    phone.fill("#mail-email", "invanare@example.se")
    phone.locator("#mail button[type=submit]").click()
    expect(phone.locator(".flash")).to_contain_text("Följ länken i det")
    expect(phone.locator("#mail")).to_contain_text("Vi väntar på att du bekräftar i…@example.se")
    no_horizontal_scroll(phone)
    assert run_axe(phone) == []
    shots(phone, "after-phone-follow")

    [confirmation] = mail_for(mailbox, "invanare@example.se", 1, server)
    link = re.search(r"(http://\S+/epost/[\w-]+)\s", confirmation.get_content()).group(1)
    phone.goto(link)
    phone.locator("button", has_text="Ja, bekräfta").click()
    expect(phone.locator(".flash")).to_contain_text("Bekräftat")

    status = requests.put(f"{server.url}/api/v1/proposals/{pid}/review",
                          json={"status": "reviewing", "public_answer": "Vi utreder."},
                          headers=server.auth("rev@live.se"), timeout=10)
    assert status.status_code == 200, status.text
    _confirm, news = mail_for(mailbox, "invanare@example.se", 2, server)
    assert news["Subject"] == "Nytt om förslag 1"
    assert "Handläggs" in news.get_content()

    # Ten more phones answer (each after voting), the event closes, and the project team
    # sees who took part on the review page: 11 respondents, the small groups suppressed.
    for band in ["30-44"] * 5 + ["65-79"] * 3 + ["18-29"] * 2:
        other = server.phone(event["code"])
        voted = other.http.post(f"{server.url}/api/v1/proposals/{pid}/votes",
                                json={"client_id": other.csrf[:32]}, timeout=10)
        assert voted.status_code == 201, voted.text
        sent = other.http.post(f"{server.url}/j/{event['code']}/who", timeout=10, data={
            "csrf_token": other.csrf, "who-age_band": band}, allow_redirects=False)
        assert sent.status_code == 303, sent.text
    for phase in ("results", "closed"):
        server.set_phase(event["id"], phase)
    review = contexts(viewport={"width": 1366, "height": 768}).new_page()
    log_in(review, server.url, "rev@live.se")
    review.goto(f"{server.url}/review/events/{event['id']}#representation-heading")
    section = review.locator(".representation")
    expect(section).to_contain_text("11 av")
    expect(section.locator("tr", has_text="30-44")).to_contain_text("6")
    expect(section.locator("tr", has_text="65-79")).to_contain_text("färre än 5")
    assert run_axe(review) == []
    shots(review, "after-review-representation")
