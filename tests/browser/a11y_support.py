"""Shared by the accessibility tests: axe-core in the page, the language switch, and a site
seeded through the real API so every page has real content to check."""

import re
import uuid
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "static" / "vendor" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def run_axe(page) -> list[dict]:
    """WCAG 2.1 A and AA findings of axe-core on the page as it is now."""
    assert AXE.exists(), "run make setup: axe.min.js is copied from npm"
    # The strict CSP refuses add_script_tag(path=…): Playwright inlines the file's text, and
    # script-src has no 'unsafe-inline'. The same file from our own origin is allowed.
    # A card still fading in has, for that moment, the contrast of a half-transparent card.
    page.wait_for_function("() => document.getAnimations().every("
                           "(a) => a.playState !== 'running')")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(url="/static/vendor/axe.min.js")
    return page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                                    resultTypes: ['violations']});
            return result.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map((n) => ({
                    target: n.target.join(' '), summary: n.failureSummary})),
            }));
        }""",
        WCAG_TAGS,
    )


def summary(found: dict[str, list[dict]]) -> str:
    lines = []
    for where, violations in found.items():
        for v in violations:
            lines.append(f"{where}: {v['id']} ({v['impact']}) {v['help']}")
            for node in v["nodes"]:
                first = (node["summary"] or "").splitlines()[1:2]
                lines.append(f"    {node['target']}  {' '.join(first).strip()}")
    return "\n".join(lines)


def switch_language(page, base: str, lang: str):
    """The header's language menu, as a person would use it (/sprak, then POST /lang)."""
    page.goto(base + "/")
    if page.evaluate("() => document.documentElement.lang") != lang:
        with page.expect_navigation():
            page.locator("header #language-link").click()
        with page.expect_navigation():
            page.locator(f"#language-choices button[data-lang={lang}]").click()
    assert page.evaluate("() => document.documentElement.lang") == lang


def _ok(response, *codes):
    assert response.status_code in (codes or (200, 201)), response.text
    return response.json()


class Seeder:
    """Makes events in every phase, votes, reviews, measures and a referensgrupp."""

    def __init__(self, server):
        self.s = server
        self.url = server.url

    def api(self, method, path, email="fac@live.se", **kwargs):
        return requests.request(method, self.url + "/api/v1" + path,
                                headers=self.s.auth(email), timeout=10, **kwargs)

    def event(self, **body):
        return self.s.create_event(**body)

    def propose(self, phone, event, title, body=None, **extra):
        answer = phone.http.post(f"{self.url}/api/v1/events/{event['id']}/proposals",
                                 json={"title": title, "body": body,
                                       "client_id": uuid.uuid4().hex, **extra})
        return _ok(answer)

    def vote(self, phone, proposal_id, **extra):
        answer = phone.http.post(f"{self.url}/api/v1/proposals/{proposal_id}/votes",
                                 json={"client_id": uuid.uuid4().hex, **extra})
        return _ok(answer)

    def workshop_with_proposals(self, titles, voting=None, kind="medborgarverkstad",
                                tables=0, **extra):
        event = self.event(title=f"Verkstad {uuid.uuid4().hex[:4]} om hållbara resor",
                           prompt="Hur gör vi det lättare att resa hållbart i vardagen?",
                           kind=kind, voting=voting or {"method": "approval"},
                           focus_areas=["Modig mobilitet", "Smart samskapande"], **extra)
        if tables:
            _ok(self.api("POST", f"/events/{event['id']}/tables", json={"count": tables}))
        self.s.set_phase(event["id"], "collect")
        phones = [self.s.phone(event["code"]) for _ in range(3)]
        ids, follow = [], None
        for n, (title, body) in enumerate(titles):
            questions = event.get("questions") or []
            extra = {"question_id": questions[n % len(questions)]["id"]} if questions else {}
            made = self.propose(phones[n % 3], event, title, body, **extra)
            ids.append(made["proposal"]["id"])
            follow = follow or made.get("follow_url")
        return event, phones, ids, follow

    def seed(self) -> dict:
        site = {}
        texts = [
            ("Fler cykelbanor i centrum", "Separata cykelbanor längs Storgatan och Kungsgatan."),
            ("Fler cykelbanor i centrum nu", "Cykelbanor i centrum, så fort som möjligt."),
            ("Tätare bussar på kvällen", "Bussarna går för sällan efter klockan 19."),
            ("Laddstolpar vid bostadsrättsföreningar", None),
            ("Bilpool i varje kvarter", "Dela bilar i stället för att äga."),
        ]
        lobby = self.event(title="Verkstad i lobbyn", prompt="Vad ska vi göra?")
        site["lobby"] = lobby

        collect, phones, ids, _follow = self.workshop_with_proposals(texts, tables=3)
        _ok(self.api("POST", f"/events/{collect['id']}/timer", json={"seconds": 900}))
        _ok(self.api("POST", f"/proposals/{ids[4]}/hide", json={"reason": "Utanför frågan"}))
        _ok(self.api("POST", f"/events/{collect['id']}/paper-proposals",
                     json={"title": "Bänkar vid busshållplatsen", "table": 2}))
        _ok(self.api("PUT", f"/events/{collect['id']}/themes-display", json={"show": True}),
            200, 201)
        # The reviewer moderates it: their console has the queue without the event's controls.
        _ok(self.api("POST", f"/events/{collect['id']}/team",
                     json={"email": "rev@live.se", "role": "moderator"}))
        site["collect"] = collect

        approval, phones, a_ids, follow = self.workshop_with_proposals(texts[:4], tables=2,
                                                                     hide_tallies=True)
        self.s.set_phase(approval["id"], "vote")
        for n, phone in enumerate(phones):
            for pid in a_ids[: n + 1]:
                self.vote(phone, pid)
        site["approval"], site["approval_ids"], site["follow"] = approval, a_ids, follow

        dots, phones, d_ids, _ = self.workshop_with_proposals(
            texts[:3], voting={"method": "dots", "dots": 5, "max_per_proposal": 3})
        self.s.set_phase(dots["id"], "vote")
        self.vote(phones[0], d_ids[0])
        self.vote(phones[0], d_ids[0])
        site["dots"] = dots

        scale, phones, s_ids, _ = self.workshop_with_proposals(
            texts[:3], voting={"method": "scale"}, kind="radslag",
            questions=["Hur reser du i vardagen?", "Var vill du handla?"],
            opens_at="2026-01-10T09:00", closes_at="2030-12-10T18:00")
        self.s.set_phase(scale["id"], "vote")
        for n, phone in enumerate(phones):
            self.vote(phone, s_ids[0], score=3 + n % 3)
        site["scale"] = scale

        results, phones, r_ids, _ = self.workshop_with_proposals(texts, tables=2,
                                                                 hide_tallies=True)
        self.s.set_phase(results["id"], "vote")
        for n, phone in enumerate(phones):
            for pid in r_ids[n:]:
                self.vote(phone, pid)
        self.s.set_phase(results["id"], "results")
        _ok(self.api("POST", f"/events/{results['id']}/reveal", json={"revealed": True}))
        site["results"], site["results_ids"] = results, r_ids

        group = self.event(title="Referensgrupp för cykelplanen", kind="referensgrupp",
                           prompt="Vad behöver cykelplanen?")
        invited = _ok(self.api("POST", f"/events/{group['id']}/members",
                               json={"name": "Anna Andersson", "email": "anna@example.se",
                                     "organisation": "Hyresgästföreningen"}))
        gone = _ok(self.api("POST", f"/events/{group['id']}/members",
                            json={"name": "Bo Berg"}))
        _ok(self.api("POST", f"/members/{gone['member']['id']}/revoke"))
        meeting = _ok(self.api("POST", f"/events/{group['id']}/meetings",
                               json={"title": "Första mötet", "starts_at": "2030-02-01T18:00"}))
        _ok(self.api("PUT", f"/meetings/{meeting['meeting']['id']}/attendance/"
                            f"{invited['member']['id']}", json={"present": True}))
        self.s.set_phase(group["id"], "collect")
        site["group"], site["invite_url"] = group, invited["invite_url"]

        # The reviewer's part: an answer, a comment, measures and a link from a proposal.
        rev = "rev@live.se"
        _ok(self.api("PUT", f"/proposals/{r_ids[2]}/review", email=rev,
                     json={"status": "not_pursued",
                           "public_answer": "Region Stockholm planerar busstrafiken."}))
        _ok(self.api("POST", f"/proposals/{r_ids[0]}/comments", email=rev,
                     json={"body": "Finns redan i cykelplanen?"}))
        measure = _ok(self.api("POST", "/measures", email=rev, json={
            "title": "Belysta cykelvägar vintertid", "owner": "Gatu- och parkförvaltningen",
            "reduction_low": 120, "reduction_high": 300, "investment_sek": 8500000,
            "yearly_cost_sek": 400000, "status": "planned"}))["measure"]
        csv = (ROOT / "static" / "examples" / "atgarder-exempel.csv").read_bytes()
        _ok(requests.post(self.url + "/api/v1/measures/import", data=csv, timeout=10,
                          headers={**self.s.auth(rev), "Content-Type": "text/csv"}))
        _ok(self.api("PUT", f"/proposals/{r_ids[0]}/link", email=rev,
                     json={"kind": "supports", "measure_id": measure["id"],
                           "reason": "Ingår i gatuprogrammet 2027"}))
        _ok(self.api("POST", f"/measures/{measure['id']}/status", email=rev,
                     json={"status": "in_progress"}))
        site["measure"] = measure
        site["budget"] = self.budget_event(rev)
        return site

    def budget_event(self, rev) -> dict:
        """A climate budget at its results, three people's ballots over imported measures."""
        listed = _ok(self.api("GET", "/measures", email=rev))["measures"]
        ballot = [m["id"] for m in listed if (m["investment_sek"] or 0) > 0
                  and m["status"] != "rejected"][:4]
        event = self.event(title="Klimatbudget för Umeå", prompt="Vad ska budgeten betala?",
                           kind="medborgarverkstad",
                           voting={"method": "budget", "budget_sek": 12_000_000,
                                   "measure_ids": ballot})
        self.s.set_phase(event["id"], "collect")
        self.s.set_phase(event["id"], "vote")
        for n in range(3):
            phone = self.s.phone(event["code"])
            _ok(phone.http.post(f"{self.url}/api/v1/events/{event['id']}/budget-ballot",
                                json={"measure_ids": [ballot[n % 2]],
                                      "client_id": uuid.uuid4().hex}))
        self.s.set_phase(event["id"], "results")
        return event


def scribe_path(page, event_id: int) -> str:
    """The scribe link of table 1, read off the printed table card's QR image."""
    src = page.locator(".scribe-print-card img").first.get_attribute("src")
    return re.sub(r"/qr\.svg$", "", src)
