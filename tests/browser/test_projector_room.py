"""The projector in a full room: a medborgarverkstad with 6 tables, 42 proposals and 60 people
voting, on a 1920 × 1080 and a 1280 × 720 projector, through every phase.

Three of the people are real Chromium phones (360 × 640), seated by their table cards; the other
60 are socket clients. In every phase each Chromium phone has the phase's action on its first
screen; during collecting a 1366 × 768 console shows the newest proposal and its hide button in
its first view.

In every phase: no scrollbar and nothing cut off (the page is exactly one screen), and at
1080p no visible text under 28 px. The wall rotates through its pages so every title is on
screen at some moment; the bars and the ranking show as many as fit, never cut inside a tie,
and say how many more there are; the best at each table has its own slide; the join QR is
large in the lobby, a corner afterwards, and gone once the event is closed. The rotation is
shortened with ?page_seconds=1 and waited on through data-page: no sleeps.
"""

import os
import shutil
import uuid
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Page, expect

from ..support.live import LiveServer
from ..test_live_smoke import Listener
from .conftest import ROOT
from .test_console_room import LAPTOP, laptop, open_console
from .test_phone_first_screen import SCREEN as PHONE_SCREEN
from .test_phone_first_screen import first_screen
from .test_workshop import connected, phone_in_phase

pytestmark = [pytest.mark.browser, pytest.mark.live]

SCREENS = {"1080p": {"width": 1920, "height": 1080}, "720p": {"width": 1280, "height": 720}}
MIN_TEXT_PX = 28  # at 1080p; 720p scales the same layout down (≈ 18.7 px)
TABLES = 6
PEOPLE = 60
SHOTS = "/tmp/wall-{screen}-{name}.png"
# `make screenshots` (DOCS_IMAGES=docs/images): this room is the README's workshop. The 1080p
# wall of each phase, the laptop console and the first Chromium phone's first screen.
DOCS = os.environ.get("DOCS_IMAGES")
DOCS_PUBLIC_URL = "https://delaktighet.stad.example"
DOC_WALLS = {"lobby": "projector-join", "collect": "projector-wall",
             "vote-held": "projector-waiting", "vote-bars": "projector-votes",
             "results-ranking": "projector-results", "results-tables": "projector-tables"}
DOC_PHONES = {"lobby": "phone-join", "collect": "phone-collect", "vote-held": "phone-vote",
              "results": "phone-results"}


def to_docs(page: Page, name: str):
    """One of the README's pictures, as the screen shows it now."""
    if DOCS:
        Path(ROOT, DOCS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(ROOT, DOCS, f"{name}.png")), animations="disabled")

TITLES = [
    "Belysta cykelvägar hela vintern",
    "Tätare bussar till universitetet i rusningstid",
    "Samåkningsparkering vid E4:an",
    "Reparationskafé i varje stadsdel",
    "Gratis kollektivtrafik för alla under 20 år",
    "Cykelgarage med laddning för elcyklar vid Centralstationen",
    "Fler bänkar längs promenadstråken så att äldre orkar gå till affären",
    "Lånecyklar för barnfamiljer",
    "Säkra skolvägar",
    "Bilfria söndagar i centrum under sommaren",
    "Snöröjning av cykelbanor före bilvägar",
    "Pendelparkering vid Holmsund med tak och cykelskåp",
    "Samlade leveranser till kvarteret i stället för tio bilar om dagen",
    "Busskort som gäller i hela länet",
    "Bygg om Storgatan till gångfartsområde",
    "Elbilspool för bostadsrättsföreningar",
    "Kvällsbussar till Ersboda efter klockan 22",
    "Cykelkök med verktyg i varje bostadsområde",
    "Hyrcyklar vid alla resecentrum",
    "Trygg belysning vid busshållplatserna, särskilt på vintern när det är mörkt redan klockan tre",
    "Vinterdäck till cyklar till självkostnadspris",
    "Skolbuss som går även på loven",
    "Laddstolpar vid idrottsanläggningarna",
    "Trafikljus som prioriterar gående och cyklister",
    "Matbutik på hjul till byarna",
    "Lägre parkeringsavgift för elbilar tas bort",
    "Gröna stråk mellan stadsdelarna",
    "Tågstopp i Hörnefors",
    "Cykelbana längs hela Älvstranden",
    "Ruttplanerare som visar klimatavtryck",
    "Fler direktbussar mellan de stora arbetsplatserna och bostadsområdena på Ö",
    "Arbetsgivare som betalar busskortet i stället för parkeringen",
    "Bättre skyltning för cykelvägar",
    "Cykelparkering vid alla skolor med tak",
    "Delningsförråd för verktyg och släpvagnar",
    "Sänkt hastighet till 30 km/h i alla bostadsområden",
    "Gångtunnlar som känns trygga",
    "Samordnade tider mellan tåg och buss",
    "Infartsparkering med bussbyte",
    "Ett kollektivtrafikkort för turister",
    "Uppvärmda väntkurer",
    "Cykelbibliotek med lastcyklar som man kan låna en helg i taget gratis",
]
# Votes per proposal, in the order above: groups of equal counts at every level, so whatever
# number fits on the screen, the cut meets a tie somewhere.
VOTES = [18, 15, 15, 12, 12, 12, 10, 10, 10, 10, 8, 8, 8, 8, 8, 6, 6, 6, 6, 6, 6,
         5, 5, 5, 5, 5, 5, 5, 4, 4, 4, 3, 3, 3, 2, 2, 1, 1, 0, 0, 0, 0]
assert len(TITLES) == len(VOTES) >= 40


class Person:
    """A resident's phone, seated at a table if there is one: the join cookie and the page's
    CSRF token."""

    def __init__(self, server, event, table=None):
        self.http = requests.Session()
        seat = f"/bord/{table}" if table else ""
        page = self.http.get(f"{server.url}/j/{event['code']}{seat}")
        assert page.status_code == 200
        token = page.text.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
        self.http.headers["X-CSRFToken"] = token
        self.csrf, self.table = token, table

    def socket(self, server, event):
        """One more open page (a tab) of this phone: a socket with its cookie."""
        cookie = "; ".join(f"{c.name}={c.value}" for c in self.http.cookies)
        return Listener(server, cookie, self.csrf, event["id"])

    def post(self, url, body):
        answer = self.http.post(url, json={"client_id": uuid.uuid4().hex, **body}, timeout=10)
        assert answer.status_code in (200, 201), answer.text
        return answer.json()


# --- what the browser measures ------------------------------------------------------------

MEASURE = """() => {
  const W = innerWidth, H = innerHeight;
  const stage = document.querySelector('.stage').getBoundingClientRect();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const texts = [];
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const text = node.textContent.trim();
    const el = node.parentElement;
    if (!text || el.closest('script, style, .visually-hidden, .skip-link')) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden') continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const rects = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
    if (!rects.length) continue;  // not rendered
    const inStage = el.closest('.stage') !== null;
    const bottom = Math.max(...rects.map((r) => r.bottom));
    const right = Math.max(...rects.map((r) => r.right));
    texts.push({text: text.slice(0, 50), px: parseFloat(style.fontSize),
                cls: el.className || el.tagName.toLowerCase(),
                cut: bottom > (inStage ? stage.bottom : H) + 1 || right > W + 1});
  }
  const doc = document.documentElement;
  return {scrollHeight: doc.scrollHeight, scrollWidth: doc.scrollWidth, width: W, height: H,
          texts};
}"""

VISIBLE_TITLES = """(selector) => [...document.querySelectorAll(selector)]
  .filter((n) => n.offsetParent !== null && n.getBoundingClientRect().bottom <= innerHeight)
  .map((n) => n.textContent)"""


def check_screen(page: Page, screen: str, name: str, problems: list):
    """No scrollbar, nothing cut off and (at 1080p) no small text; a screenshot to look at."""
    page.wait_for_function("() => document.getAnimations().every("
                           "(a) => a.playState !== 'running')")
    found = page.evaluate(MEASURE)
    where = f"{screen} {name}"
    if found["scrollHeight"] > found["height"] or found["scrollWidth"] > found["width"]:
        problems.append(f"{where}: the page scrolls: {found['scrollWidth']}×"
                        f"{found['scrollHeight']} in {found['width']}×{found['height']}")
    problems += [f"{where}: cut off: {t['cls']}: {t['text']!r}"
                 for t in found["texts"] if t["cut"]]
    if screen == "1080p":
        problems += [f"{where}: {t['px']:.1f} px text: {t['cls']}: {t['text']!r}"
                     for t in found["texts"] if t["px"] < MIN_TEXT_PX]
    page.screenshot(path=SHOTS.format(screen=screen, name=name), animations="disabled")
    return found


def smallest_text(found) -> float:
    return min(t["px"] for t in found["texts"])


def pages_of(page: Page) -> int:
    return int(page.locator("#projector").get_attribute("data-pages"))


def on_page(page: Page, number: int, selector: str) -> list[str]:
    """Waits until the rotation shows page `number`, then reads the titles on screen at once."""
    return page.wait_for_function(
        """([number, selector]) => {
          const root = document.querySelector('#projector');
          if (root.dataset.page !== String(number)) return false;
          return (""" + VISIBLE_TITLES + """)(selector);
        }""", arg=[number, selector]).json_value()


def rotated_titles(page: Page, selector: str) -> set[str]:
    """Every title shown during one whole turn of the rotation."""
    seen = set()
    for number in range(pages_of(page)):
        seen |= set(on_page(page, number, selector))
    return seen


def assert_cut_above_ties(shown: list[dict], ranking: list[dict]):
    """The rows shown are the best ones in order, and the next one is not tied with the last."""
    assert [r["id"] for r in shown] == [r["id"] for r in ranking[:len(shown)]]
    if 0 < len(shown) < len(ranking):
        assert ranking[len(shown)]["rank"] != ranking[len(shown) - 1]["rank"], (
            f"cut inside a tie at rank {ranking[len(shown)]['rank']}")


def rows(page: Page, selector: str) -> list[dict]:
    return page.eval_on_selector_all(
        selector, "(nodes) => nodes.map((n) => ({id: Number(n.dataset.proposalId), "
                  "rank: Number(n.dataset.rank)}))")


# --- the room ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def live_server(live_server, tmp_path_factory):
    """The shared server, or, for the README's pictures, one that names a public address."""
    if not DOCS:
        yield live_server
        return
    server = LiveServer(tmp_path_factory.mktemp("docs"), {"PUBLIC_BASE_URL": DOCS_PUBLIC_URL})
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def room(live_server):
    """The event in the lobby with its 6 tables and 60 people seated at them (10 a table)."""
    event = live_server.create_event(
        title="Medborgarverkstad: hållbara vardagsresor",
        prompt="Hur gör vi det lättare att resa hållbart i vardagen?",
        hide_tallies=True, focus_areas=["Modig mobilitet", "Smart samskapande"])
    answer = requests.post(f"{live_server.url}/api/v1/events/{event['id']}/tables",
                           json={"count": TABLES}, headers=live_server.auth(), timeout=10)
    assert answer.status_code == 200, answer.text
    people = [Person(live_server, event, 1 + n % TABLES) for n in range(PEOPLE)]
    return event, people


# What each phase asks of a phone, on its first screen.
PHONE_ACTION = {
    "lobby": ".name-form button[type=submit]",
    "collect": "#proposal-form button[type=submit]",
    "vote": "#proposal-list .proposal .vote-button",
    "results": "#table-results li, #results li",  # the phone's own table first, when seated
    "closed": "#table-results li, #results li",
}


def test_the_wall_fits_one_screen_in_every_phase(live_server, facilitator, contexts, phone,
                                                  room):
    event, people = room
    base, problems, figures = live_server.url, [], {}
    storage = facilitator.storage_state()
    screens = {}
    for screen, viewport in SCREENS.items():
        page = contexts(viewport=viewport, storage_state=storage).new_page()
        page.goto(f"{base}/events/{event['id']}/projector?page_seconds=1")
        connected(page, "#projector-status")
        screens[screen] = page
    handsets = []
    for table in (1, 2, 3):
        handset = phone(viewport=PHONE_SCREEN)
        handset.goto(f"{base}/j/{event['code']}/bord/{table}")
        connected(handset, "#connection")
        handsets.append(handset)

    def each(phase_name, check):
        phase = phase_name.split("-")[0]
        for handset in handsets:
            phone_in_phase(handset, phase)
            first_screen(handset, PHONE_ACTION[phase])
        if phase_name in DOC_PHONES:
            to_docs(handsets[0], DOC_PHONES[phase_name])
        for screen, page in screens.items():
            check(page, screen)
            found = check_screen(page, screen, phase_name, problems)
            figures[f"{screen} {phase_name}"] = smallest_text(found)

    # Lobby: the QR code is the screen's main thing.
    def lobby(page, screen):
        expect(page.locator("#projector")).to_have_attribute("data-view", "lobby")
        qr = page.locator("#qr").bounding_box()
        assert qr["height"] >= 0.45 * SCREENS[screen]["height"], qr

    each("lobby", lobby)

    # The count is of phones, not sockets: the 60 people's phones and the three Chromium
    # ones; a second tab on one phone, and a reload of it, count once.
    def phones(count):
        for page in screens.values():
            expect(page.locator("#connected")).to_have_text(str(count))

    everyone = len(people) + len(handsets)
    tabs = [person.socket(live_server, event) for person in people]
    phones(everyone)
    tabs.append(people[0].socket(live_server, event))  # a second tab
    phones(everyone)
    tabs.pop(0).close()  # one of its two tabs closed: that phone is still here
    tabs.append(people[0].socket(live_server, event))  # and a reload of it
    phones(everyone)
    tabs.pop(0).close()  # people[1] leaves
    phones(everyone - 1)
    for socket in tabs:
        socket.close()
    phones(len(handsets))

    # Collect: 42 proposals from the six tables; the wall pages through all of them.
    live_server.set_phase(event["id"], "collect")
    ids = []
    for n, title in enumerate(TITLES):
        made = people[n % PEOPLE].post(f"{base}/api/v1/events/{event['id']}/proposals",
                                       {"title": title})
        ids.append(made["proposal"]["id"])
    # The theme cloud in its band under the wall: the wall pages in the room it leaves.
    answer = requests.put(f"{base}/api/v1/events/{event['id']}/themes-display",
                          json={"show": True}, headers=live_server.auth(), timeout=10)
    assert answer.status_code == 200, answer.text

    def collect(page, screen):
        expect(page.locator("#wall .wall-card")).to_have_count(len(TITLES))
        expect(page.locator("#themes .theme").first).to_be_visible()
        assert pages_of(page) > 1
        assert rotated_titles(page, "#wall .wall-card h3") == set(TITLES)
        newest = page.locator("#wall .wall-card.newest")
        expect(newest).to_have_count(1)
        expect(newest.locator("h3")).to_have_text(TITLES[-1])
        qr = page.locator("#qr").bounding_box()
        assert qr["height"] <= 0.25 * SCREENS[screen]["height"], qr
        on_page(page, 0, "#wall .wall-card h3")  # the screenshot: the first page, the newest

    each("collect", collect)

    # The facilitator's laptop: the newest proposal and its hide button in the first view.
    console = laptop(contexts, live_server)
    open_console(console, live_server, event)
    newest_row = console.locator("#console-rows tr[data-proposal-id]").first
    expect(newest_row).to_have_attribute("id", f"row-{ids[-1]}")
    expect(newest_row).to_contain_text(TITLES[-1])
    box = newest_row.locator("summary", has_text="Dölj").bounding_box()
    assert box and box["y"] + box["height"] <= LAPTOP["height"], box
    to_docs(console, "console")
    console.close()

    # Vote, bars held back: how many have voted and what is on the ballot, paged.
    live_server.set_phase(event["id"], "vote")
    answer = requests.post(f"{base}/api/v1/events/{event['id']}/timer", json={"seconds": 600},
                           headers=live_server.auth(), timeout=10)
    assert answer.status_code == 200, answer.text
    voters = set()
    for n, (proposal_id, count) in enumerate(zip(ids, VOTES, strict=True)):
        for k in range(count):
            who = (n * 7 + k) % PEOPLE
            people[who].post(f"{base}/api/v1/proposals/{proposal_id}/votes", {})
            voters.add(who)
    assert len(voters) == PEOPLE

    def waiting(page, screen):
        expect(page.locator("#projector")).to_have_attribute("data-view", "waiting")
        expect(page.locator("#voters-figure")).to_have_text(f"{PEOPLE} personer har röstat")
        expect(page.locator("#bars")).to_be_hidden()
        expect(page.locator("#timer")).to_be_visible()
        assert rotated_titles(page, "#ballot-list li") == set(TITLES)

    each("vote-held", waiting)

    # Vote, bars shown: as many as fit, the cut above any tie, "och M till".
    answer = requests.post(f"{base}/api/v1/events/{event['id']}/reveal",
                           json={"revealed": True}, headers=live_server.auth(), timeout=10)
    assert answer.status_code == 200
    ranking = requests.get(f"{base}/api/v1/events/{event['id']}/results",
                           headers=live_server.auth(), timeout=10).json()["results"]

    def bars(page, screen):
        expect(page.locator("#projector")).to_have_attribute("data-view", "bars")
        expect(page.locator("#bars .bar-row").first).to_be_visible()
        shown = rows(page, "#bars .bar-row")
        assert len(shown) >= 8, f"only {len(shown)} bars on {screen}"
        assert_cut_above_ties(shown, ranking)
        expect(page.locator("#bars-more")).to_have_text(f"och {len(TITLES) - len(shown)} till")
        figures[f"{screen} bars shown"] = len(shown)

    each("vote-bars", bars)

    # Results: the ranking (ties kept whole) and the best at each table on their own slide.
    live_server.set_phase(event["id"], "results")

    def results(page, screen):
        expect(page.locator("#projector")).to_have_attribute("data-view", "results")
        expect(page.locator("#projector")).to_have_attribute("data-pages", "2")
        on_page(page, 0, "#ranking .rank-title")
        shown = rows(page, "#ranking .rank-row")
        assert len(shown) >= 8
        assert_cut_above_ties(shown, ranking)
        expect(page.locator("#ranking-more")).to_have_text(f"och {len(TITLES) - len(shown)} till")
        expect(page.locator("#table-winners")).to_be_hidden()
        figures[f"{screen} ranking shown"] = len(shown)
        check_screen(page, screen, "results-ranking", problems)
        on_page(page, 1, "#table-winners li")
        expect(page.locator("#ranking-slide")).to_be_hidden()
        winners = page.locator("#table-winners li")
        expect(winners).to_have_count(TABLES)
        for table in range(1, TABLES + 1):
            at_table = [r for r in ranking if r["table"] == table]
            best = [r["title"] for r in at_table if r["rank"] == at_table[0]["rank"]]
            line = winners.filter(has_text=f"Bord {table}:")
            for title in best:
                expect(line).to_contain_text(title)
        check_screen(page, screen, "results-tables", problems)
        expect(page.locator("#qr")).to_be_visible()

    each("results", results)

    # Closed: no QR, the results stay.
    live_server.set_phase(event["id"], "closed")

    def closed(page, screen):
        expect(page.locator("#projector")).to_have_attribute("data-view", "closed")
        expect(page.locator(".join-panel")).to_be_hidden()
        expect(page.locator("#qr")).to_be_hidden()
        expect(page.locator("#ranking .rank-row").first).to_be_attached()

    each("closed", closed)
    print("smallest text (px):", figures)
    assert not problems, "\n".join(problems)
    if DOCS:
        for name, doc in DOC_WALLS.items():
            shutil.copy(SHOTS.format(screen="1080p", name=name), Path(ROOT, DOCS, f"{doc}.png"))


@pytest.mark.parametrize("voting", [
    {"method": "dots", "dots": 5, "max_per_proposal": 3},
    {"method": "scale"},
], ids=["dots", "scale"])
def test_dots_and_scale_bars_fit_too(live_server, facilitator, contexts, voting):
    """The other two voting methods, at 1080p: dots (bars by dots) and 1–5 ratings (each bar
    with its spread in words under it), 42 proposals, the same rules."""
    event = live_server.create_event(title=f"Verkstad med {voting['method']}",
                                     prompt="Vad ska staden göra först?", voting=voting)
    base, problems = live_server.url, []
    live_server.set_phase(event["id"], "collect")
    writer = Person(live_server, event)
    ids = [writer.post(f"{base}/api/v1/events/{event['id']}/proposals",
                       {"title": title})["proposal"]["id"] for title in TITLES]
    live_server.set_phase(event["id"], "vote")
    people = [Person(live_server, event) for _ in range(20)]
    for n, proposal_id in enumerate(ids[:24]):
        for k in range(1 + n % 4):
            body = {"score": 1 + (n + k) % 5} if voting["method"] == "scale" else {}
            people[(n + k) % len(people)].post(
                f"{base}/api/v1/proposals/{proposal_id}/votes", body)
    page = contexts(viewport=SCREENS["1080p"],
                    storage_state=facilitator.storage_state()).new_page()
    page.goto(f"{base}/events/{event['id']}/projector?page_seconds=1")
    connected(page, "#projector-status")
    expect(page.locator("#bars .bar-row").first).to_be_visible()
    shown = rows(page, "#bars .bar-row")
    assert len(shown) >= 5
    assert len(shown) == int(page.locator("#bars").get_attribute("data-shown"))
    assert page.locator("#bars").get_attribute("data-total") == str(len(TITLES))
    if voting["method"] == "scale":
        expect(page.locator("#bars .bar-spread").first).to_contain_text("Betyg:")
    check_screen(page, "1080p", f"{voting['method']}-bars", problems)

    live_server.set_phase(event["id"], "results")
    ranking = requests.get(f"{base}/api/v1/events/{event['id']}/results",
                           headers=live_server.auth(), timeout=10).json()["results"]
    expect(page.locator("#projector")).to_have_attribute("data-view", "results")
    expect(page.locator("#ranking .rank-row").first).to_be_visible()
    assert_cut_above_ties(rows(page, "#ranking .rank-row"), ranking)
    check_screen(page, "1080p", f"{voting['method']}-results", problems)
    assert not problems, "\n".join(problems)
