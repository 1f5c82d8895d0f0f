"""axe-core (WCAG 2.1 A and AA rules) on every page, in Swedish and in English, with real
content: events in each phase and voting method, a referensgrupp, reviews and measures. The
resident's and the public pages also in Arabic (right to left) and Finnish, and the
facilitator's in Arabic (a projector may speak it).

Each test walks its pages and collects every finding before failing, so one run lists them all.
"""

import re

import pytest
import requests
from playwright.sync_api import expect

from participation.core.languages import SHIPPED

from .a11y_support import Seeder, run_axe, scribe_path, summary, switch_language
from .conftest import DESKTOP, PHONE, log_in

pytestmark = [pytest.mark.browser, pytest.mark.live]
LANGS = ["sv", "en"]
RESIDENT_LANGS = [*LANGS, "ar", "fi"]


@pytest.fixture(scope="module")
def site(live_server):
    return Seeder(live_server).seed()


class Checker:
    def __init__(self, lang):
        self.lang = lang
        self.found = {}
        self.pages = 0

    def check(self, page, name):
        self.pages += 1
        lang = page.evaluate("() => document.documentElement.lang")
        problems = run_axe(page)
        if lang != self.lang:
            problems.append({"id": "lang-mismatch", "impact": "serious", "nodes": [],
                             "help": f"<html lang={lang!r}>, the session's language is "
                                     f"{self.lang!r}"})
        if problems:
            self.found[f"[{self.lang}] {name} {page.url}"] = problems

    def visit(self, page, url, name, wait=None):
        page.goto(url)
        if wait:
            expect(page.locator(wait[0])).to_have_attribute("data-state", wait[1])
        self.check(page, name)

    def done(self, least):
        assert not self.found, f"axe found problems on {len(self.found)} of {self.pages} " \
                               f"pages:\n{summary(self.found)}"
        assert self.pages >= least


def login(contexts, base, email, lang, **options):
    page = contexts(**options).new_page()
    switch_language(page, base, lang)
    log_in(page, base, email)
    return page


@pytest.mark.parametrize("lang", RESIDENT_LANGS)
def test_resident_and_public_pages(live_server, site, contexts, lang):
    base, c = live_server.url, Checker(lang)
    page = contexts(**PHONE).new_page()
    switch_language(page, base, lang)
    connected = ("#connection", "connected")
    for path, name in (("/", "home"), ("/login", "login"), ("/integritet", "privacy"),
                       ("/tillganglighet", "accessibility statement"),
                       ("/finns-inte", "404"), ("/join?code=", "join without code"),
                       ("/j/XXXXXX", "unknown event")):
        c.visit(page, base + path, name)

    c.visit(page, f"{base}/j/{site['lobby']['code']}", "phone lobby", connected)
    c.visit(page, f"{base}/j/{site['collect']['code']}", "phone collect, tables", connected)
    c.visit(page, f"{base}/j/{site['collect']['code']}/bord/1", "phone at table 1", connected)
    page.fill("#title", "Cykelgarage vid stationen")
    page.locator("#proposal-form button[type=submit]").click()
    expect(page.locator("#follow-box")).to_be_visible()
    c.check(page, "phone after submitting (follow link)")
    follow = page.locator("#follow-link").get_attribute("href")

    c.visit(page, f"{base}/j/{site['approval']['code']}", "phone approval vote", connected)
    item = page.locator(".proposal").first
    item.locator(".vote-button").click()
    expect(item.locator(".voted-note")).to_be_visible()
    c.check(page, "phone approval after voting")
    c.visit(page, f"{base}/j/{site['dots']['code']}", "phone dots vote", connected)
    page.locator(".proposal .vote-button").first.click()
    expect(page.locator("#remaining, .remaining").first).to_contain_text("4")
    c.check(page, "phone dots after a dot")
    c.visit(page, f"{base}/j/{site['scale']['code']}", "phone scale vote", connected)
    item = page.locator(".proposal").first
    item.locator(".scale-choice", has_text="4").click()
    item.locator(".scale-form button[type=submit]").click()
    expect(item.locator(".my-score")).to_have_text("4")
    c.check(page, "phone scale after rating")
    c.visit(page, f"{base}/j/{site['results']['code']}", "phone results", connected)
    c.visit(page, f"{base}/j/{site['group']['code']}", "referensgrupp, not a member")

    c.visit(page, follow, "follow page (new proposal)")
    c.visit(page, site["follow"], "follow page (voted proposals)")
    c.visit(page, follow + "/radera", "erase page")
    c.visit(page, f"{base}/offentligt/{site['results']['code']}", "public event page")
    c.visit(page, f"{base}/atgarder/{site['measure']['id']}", "public measure page")
    c.visit(page, f"{base}/offentligt/{site['budget']['code']}", "public budget outcome")
    expect(page.locator(".budget-cards .budget-card")).to_have_count(4)
    c.visit(page, f"{base}/atgarder/{site['measure']['id']}/underlag", "measure dossier")
    c.visit(page, f"{base}/var-vi-ar-overens", "where we agree")
    c.visit(page, base + "/i/not-a-real-token-at-all", "invitation refused")
    invited = contexts(**PHONE).new_page()
    switch_language(invited, base, lang)
    c.visit(invited, site["invite_url"], "invitation accept page")
    with invited.expect_navigation():
        invited.locator("main form button[type=submit]").first.click()
    expect(invited.locator("#connection")).to_have_attribute("data-state", "connected")
    c.check(invited, "referensgrupp phone as member")
    c.done(least=29)


@pytest.mark.parametrize("lang", [*LANGS, "ar"])
def test_facilitator_pages(live_server, site, contexts, lang):
    base, c = live_server.url, Checker(lang)
    page = login(contexts, base, "fac@live.se", lang, viewport=DESKTOP)
    c.visit(page, base + "/events", "dashboard")
    c.visit(page, base + "/events/new", "event create")
    page.evaluate("() => document.querySelectorAll('form').forEach((f) => f.noValidate = true)")
    page.fill("#title", "")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").last.click()
    c.check(page, "event create with errors")
    page.locator("input[name=voting_method][value=budget]").check()
    expect(page.locator("#budget_sek")).to_be_visible()
    c.check(page, "event create, a climate budget")
    for key in ("lobby", "collect", "approval", "dots", "scale", "results", "group"):
        page.goto(f"{base}/events/{site[key]['id']}/console")
        if key == "collect":  # the content axe must see is there
            expect(page.locator(".duplicates-row")).to_have_count(1)
            expect(page.locator(".theme-cloud .theme").first).to_be_visible()
            expect(page.locator("#timer")).to_be_visible()
            expect(page.locator("#console-rows .status-hidden")).to_have_count(1)
        if key == "scale":
            expect(page.locator("#questions-heading")).to_be_visible()
        if key == "group":
            expect(page.locator("#members-table tbody tr").nth(1)).to_be_attached()
        c.check(page, f"console {key}")
    group = site["group"]
    page.goto(f"{base}/events/{group['id']}/console")
    page.fill("#add-member-form [name=name]", "Cecilia Ek")
    with page.expect_navigation():
        page.locator("#add-member-form button[type=submit]").click()
    assert re.search(r"/members/\d+/sheet$", page.url), page.url
    c.check(page, "invitation sheet")
    projector_live = ("#projector-status", "connected")
    for key in ("lobby", "collect", "approval", "dots", "scale", "results"):
        # The projector speaks the event's projector language, not the laptop's.
        assert requests.put(f"{base}/api/v1/events/{site[key]['id']}/languages",
                            json={"languages": list(SHIPPED), "projector_language": lang},
                            headers=live_server.auth(), timeout=10).status_code == 200
        c.visit(page, f"{base}/events/{site[key]['id']}/projector", f"projector {key}",
                projector_live)
    results = page.locator("#bars .bar-row, #ranking li, .rank-row")
    expect(results.first).to_be_visible()  # the revealed bars are what axe must see
    page.emulate_media(color_scheme="dark")
    c.check(page, "projector results, dark colour scheme")
    page.emulate_media(color_scheme="light")
    c.visit(page, f"{base}/events/{site['collect']['id']}/tables/cards", "table cards")
    page.emulate_media(media="print")  # the tent cards' upside-down halves show in print only
    c.check(page, "table cards, print media")
    page.emulate_media(media="screen")
    scribe = scribe_path(page, site["collect"]["id"])
    c.visit(page, f"{base}/events/{site['collect']['id']}/poster", "poster")
    page.emulate_media(media="print")
    c.check(page, "poster, print media")
    page.emulate_media(media="screen")
    c.visit(page, base + scribe, "scribe phone", ("#connection", "connected"))
    c.visit(page, base + "/account/tokens", "API keys")
    page.fill("#name", "Power BI")
    with page.expect_navigation():
        page.locator("main form button[type=submit].primary").click()
    expect(page.locator("#issued-token")).to_be_visible()
    expect(page.locator("#tokens-table tbody tr").first).to_be_attached()
    c.check(page, "API keys, a new key shown once")
    page.fill("#name", "")
    with page.expect_navigation():
        page.locator("main form button[type=submit].primary").click()
    expect(page.locator("#name[aria-invalid=true]")).to_be_attached()
    c.check(page, "API keys with errors")
    c.done(least=24)


@pytest.mark.parametrize("lang", LANGS)
def test_reviewer_and_backlog_pages(live_server, site, contexts, lang):
    base, c = live_server.url, Checker(lang)
    page = login(contexts, base, "rev@live.se", lang, viewport=DESKTOP)
    ids, measure = site["results_ids"], site["measure"]
    for path, name in (
            ("/review/", "review index"), ("/review/events", "review events"),
            (f"/review/events/{site['results']['id']}", "review event"),
            (f"/review/events/{site['budget']['id']}", "review budget event"),
            (f"/review/proposals/{ids[0]}", "review proposal, linked"),
            (f"/review/proposals/{ids[2]}", "review proposal, answered"),
            (f"/review/proposals/{ids[1]}", "review proposal, link form"),
            ("/backlog/", "backlog index"), ("/backlog/new", "backlog new"),
            (f"/backlog/{measure['id']}/edit", "backlog edit"),
            ("/backlog/import", "backlog import"), ("/backlog/investment", "investment"),
            (f"/atgarder/{measure['id']}/underlag", "dossier"),
            (f"/atgarder/{measure['id']}", "measure page"),
            ("/review/agreement", "where we agree, staff"),
            (f"/events/{site['collect']['id']}/console", "console as the team's moderator")):
        c.visit(page, base + path, name)
    expect(page.locator("#team-table")).to_contain_text("rev@live.se")
    expect(page.locator(".phase-form")).to_have_count(0)
    c.done(least=15)


@pytest.fixture(scope="module")
def sso_server(tmp_path_factory):
    """Single sign-on configured: the login page's button and the refusal page. The provider's
    address answers nothing; neither page asks it."""
    from tests.support.live import LiveServer, free_port

    server = LiveServer(tmp_path_factory.mktemp("live-sso-axe"), {
        "OIDC_ISSUER": f"http://127.0.0.1:{free_port()}", "OIDC_CLIENT_ID": "axe",
        "OIDC_CLIENT_SECRET": "axe"})
    server.start(staff=())
    yield server
    server.stop()


@pytest.mark.parametrize("lang", LANGS)
def test_single_sign_on_pages(sso_server, contexts, lang):
    base, c = sso_server.url, Checker(lang)
    page = contexts(**PHONE).new_page()
    switch_language(page, base, lang)
    c.visit(page, base + "/login", "login with single sign-on")
    expect(page.locator("#sso-login")).to_be_visible()
    c.visit(page, base + "/login/oidc/callback?error=access_denied", "single sign-on refused")
    c.visit(page, base + "/login/oidc/callback?code=x&state=forged", "single sign-on bad state")
    c.visit(page, base + "/login/oidc", "single sign-on provider not answering")
    c.done(least=4)


@pytest.mark.parametrize("lang", LANGS)
def test_account_pages(live_server, contexts, lang):
    """An admin's first login (REQUIRE_MFA_ROLES defaults to admin): setting up two-step
    verification, the recovery codes, the accounts pages, an invitation's link, the
    set-password page, and the second step of the next login."""
    import pyotp

    from ..conftest import PASSWORD

    base, c = live_server.url, Checker(lang)
    email = f"admin-{lang}@live.se"
    live_server.flask("users", "create", email, "--role", "admin", "--password", PASSWORD)
    page = contexts(viewport=DESKTOP).new_page()
    switch_language(page, base, lang)
    c.visit(page, base + "/login/glomt", "forgot password")
    page.goto(base + "/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.url.endswith("/login/tvastegs"), page.url
    c.check(page, "two-step set-up at login")
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    totp = pyotp.TOTP(secret)
    page.fill("#code", "000000" if totp.now() != "000000" else "111111")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    c.check(page, "two-step set-up, wrong code")
    page.fill("#code", totp.now())
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    c.check(page, "recovery codes")
    c.visit(page, base + "/konto", "own account")
    c.visit(page, base + "/admin/konton", "accounts list")
    page.fill("#email", f"ny-{lang}@live.se")
    page.select_option("#role", "reviewer")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    c.check(page, "invitation link")
    link = page.locator("#reset-url").inner_text()
    page.locator("main a[href*='/admin/konton/']").first.click()
    page.wait_for_url("**/admin/konton/*")
    c.check(page, "account page")

    person = contexts(**PHONE).new_page()
    switch_language(person, base, lang)
    c.visit(person, link, "set password")
    person.fill("#password", "ett långt lösenord")
    person.fill("#confirm", "ett annat lösenord")
    with person.expect_navigation():
        person.click("main form button[type=submit]")
    c.check(person, "set password, errors")

    again = contexts(viewport=DESKTOP).new_page()
    switch_language(again, base, lang)
    again.goto(base + "/login")
    again.fill("#email", email)
    again.fill("#password", PASSWORD)
    with again.expect_navigation():
        again.click("main form button[type=submit]")
    assert again.url.endswith("/login/kod"), again.url
    c.check(again, "second step")
    again.fill("#code", "nope")
    with again.expect_navigation():
        again.click("main form button[type=submit]")
    c.check(again, "second step, wrong code")
    c.done(least=12)
