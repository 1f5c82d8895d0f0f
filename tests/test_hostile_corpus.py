"""The hostile-input corpus (tests/data/hostile.py) through every text input, on every channel.

Each payload is either refused -- a 4xx (or a socket error ack) with a Swedish message, and the
database exactly as before -- or stored as typed and then rendered inert on every page that
shows it: no injected element or attribute, the text shown literally. Never a 500.

Every field of every input on every channel gets one payload of each class (markup, template,
CSV formula, Unicode trick, always refused; a wrong JSON type, a wrong number where it takes
one), picked by a hash of input, channel and field so that the inputs together cover the
corpus. The central inputs get the whole corpus on REST, where the operation that all three
channels share is cheapest to reach.
"""

import csv
import io
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

import pytest
from sqlalchemy import select

from participation.backlog.models import Measure
from participation.events.models import Event
from participation.extensions import db

from .conftest import Staff, join, make_app
from .data import hostile
from .support.hostile_world import RAW, Reply, World, changed_texts, fingerprint, is_swedish, new_id
from .support.inert import scan

CLASSES = {"xss": hostile.XSS, "template": hostile.TEMPLATE, "csv": hostile.CSV_FORMULAS,
           "unicode": hostile.UNICODE, "refused": hostile.REFUSED_TEXT}
OK_STATUSES = {200, 201, 302, 303}
REFUSAL_STATUSES = {400, 403, 404, 409, 413, 422, 429}


@dataclass
class Target:
    name: str
    channel: str
    fields: tuple[str, ...]  # the first gets every payload, the others SAMPLE
    send: Callable[[World, dict], Reply]
    prepare: Callable[[World], dict] = field(default=lambda world: {})
    json: bool = False  # takes JSON values: also gets the wrong types
    readonly: bool = False  # a query: answers, never writes
    quiet: tuple[str, ...] = ()  # tables a refusal may still write to (e.g. failed logins)
    replaces: bool = False  # each write replaces the last: check the pages after each one
    lines: tuple[str, ...] = ()  # textareas read one item a line (str.splitlines: also U+2028)
    shown: str = "event"  # which pages show what it stores (see `pages`); "" for none
    full: bool = False  # the whole corpus into its first field (and its numbers)
    numbers: tuple[str, ...] = ()  # fields that take a whole number: get WRONG_NUMBERS


def _proposal_ctx(world):
    return {"pid": world.new_proposal()}


def _pair_ctx(world):
    return {"source": world.new_proposal("Buss A"), "target": world.new_proposal("Buss B")}


def _measure_ctx(world):
    return {"mid": world.new_measure()}


def _vote_ctx(method):
    """A proposal of the module's vote event; wrong numbers never spend a vote, so the pool
    is only walked round to keep the sends apart."""
    def prepare(world):
        scene = world.vote_scene(method)
        scene["pool"].append(scene["pool"].pop(0))
        return {"scene": scene, "pid": scene["pool"][0]}

    return prepare


def _vote(context, payload):
    return {"client_id": new_id(), "proposal_id": context["pid"]} | payload


def _csv(values: dict) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["title", "description", "owner"])
    writer.writeheader()
    writer.writerow({"title": "Import", "description": "", "owner": ""} | values)
    return out.getvalue().encode("utf-8", "surrogatepass")


def _live_ctx(kind: str):
    """The module's event with an activity of `kind` live (docs/activities.md), added once per
    event, and a phone that has just joined it (a person asks at most ten questions)."""
    live: dict[int, int] = {}

    def prepare(world):
        from participation.activities import plan
        if world.id not in live:
            body = {"kind": kind} | ({"title": "Frågor till panelen"} if kind == "questions"
                                     else {"title": "Vad tar du med dig?"} if kind == "words"
                                     else {})
            activity = plan.add_activity(world.staff.admin, world.id, body)["activity"]["id"]
            plan.start_activity(world.staff.admin, world.id, activity)
            live[world.id] = activity
        phone = world.app.test_client()
        csrf = join(phone, world.event)
        db.session.rollback()
        return {"aid": live[world.id], "scene": {"phone": phone, "csrf": csrf}}

    return prepare


def _panel_form(world, payload):
    return {"panel-csrf_token": world.phone_csrf, "panel-client_id": new_id()} | payload


def _evaluation_form(world, payload):
    return {"evaluation-csrf_token": world.phone_csrf, "evaluation-client_id": new_id(),
            "rating-overall": "4"} | payload


PROPOSAL = {"title": "Grönare skolgårdar", "body": "Mer träd."}
EDIT = {"title": "Rättad titel", "body": "", "reason": "Stavfel"}
MEASURE = {"title": "Cykelparkering", "description": "", "focus_area": "", "owner": "",
           "co_benefits": "", "time_frame": ""}
EVENT = {"title": "Verkstad", "prompt": "Hur reser vi?", "kind": "medborgarverkstad",
         "voting": {"method": "approval"}, "focus_areas": ["Mobilitet"], "questions": []}
# A rådslag with dots: the form reads question cards only for a rådslag and dots only for a
# dot vote (staff/event_form.py ignores the fields of other kinds and methods).
EVENT_FORM = {"title": "Verkstad", "prompt": "Hur reser vi?", "kind": "radslag",
              "focus_areas": "Mobilitet", "voting_method": "dots", "moderation": "post",
              "questions": "", "dots": "5", "max_per_proposal": "3"}
MEMBER = {"name": "Anna Andersson", "email": "", "organisation": ""}


def _proposal(world, payload):
    return PROPOSAL | {"client_id": new_id(), "question_id": world.question_id} | payload


def _listed(payload: dict, *names) -> dict:
    """JSON list fields take the payload as one element of the list."""
    return {k: ([v] if k in names else v) for k, v in payload.items()}


TARGETS = [
    # --- residents ----------------------------------------------------------------------
    Target("proposal", "form", ("title", "body"), lambda w, c, p: w.form(
        f"/j/{w.code}/proposals", _proposal(w, p), staff=False), numbers=("question_id",)),
    Target("proposal", "rest", ("title", "body"), lambda w, c, p: w.rest(
        "POST", f"/events/{w.id}/proposals", _proposal(w, p),
        staff=False), json=True, full=True, numbers=("question_id",)),
    Target("proposal", "socket", ("title", "body"), lambda w, c, p: w.socket(
        "submit_proposal", _proposal(w, p), staff=False), json=True, numbers=("question_id",)),
    # Questions to the panel and the evaluation (issue 17), on the live activity.
    Target("panel-question", "form", ("panel-text",), lambda w, c, p: w.form(
        f"/j/{w.code}/questions", _panel_form(w, p), staff=False), _live_ctx("questions")),
    Target("panel-question", "rest", ("text",), lambda w, c, p: w.rest(
        "POST", f"/activities/{c['aid']}/responses", {"client_id": new_id()} | p,
        staff=False, scene=c["scene"]), _live_ctx("questions"), json=True, full=True),
    Target("evaluation", "form", ("evaluation-text",), lambda w, c, p: w.form(
        f"/j/{w.code}/evaluation", _evaluation_form(w, p), staff=False),
        _live_ctx("evaluation"), replaces=True),
    Target("evaluation", "rest", ("text",), lambda w, c, p: w.rest(
        "POST", f"/activities/{c['aid']}/responses",
        {"ratings": {"heard": 2}, "client_id": new_id()} | p, staff=False),
        _live_ctx("evaluation"), json=True, replaces=True),
    Target("words", "form", ("words",), lambda w, c, p: w.form(
        f"/j/{w.code}/words", {"client_id": new_id()} | p, staff=False), _live_ctx("words"),
        replaces=True),
    Target("words", "rest", ("words",), lambda w, c, p: w.rest(
        "POST", f"/activities/{c['aid']}/responses",
        {"client_id": new_id()} | _listed(p, "words"), staff=False), _live_ctx("words"),
        json=True, replaces=True),
    Target("display-name", "form", ("display_name",), lambda w, c, p: w.form(
        f"/j/{w.code}/name", p, staff=False), replaces=True),
    Target("similar", "rest", ("title", "body"), lambda w, c, p: w.rest(
        "GET", f"/events/{w.id}/similar?" + urlencode(p),
        staff=False), readonly=True),
    Target("similar", "socket", ("title", "body"), lambda w, c, p: w.socket(
        "similar", {"title": "Buss"} | p, staff=False), json=True, readonly=True),
    Target("vote-dots", "rest", (), lambda w, c, p: w.rest(
        "POST", f"/proposals/{c['pid']}/votes", _vote(c, p), staff=False, scene=c["scene"]),
        _vote_ctx("dots"), json=True, full=True, numbers=("dots",), shown=""),
    Target("vote-path", "rest", (), lambda w, c, p: w.rest(
        "POST", f"/proposals/{quote(str(p['proposal_id']), safe='')}/votes",
        {"client_id": new_id()}, staff=False, scene=c["scene"]),
        _vote_ctx("dots"), full=True, numbers=("proposal_id",), shown=""),
    Target("vote-dots", "socket", (), lambda w, c, p: w.socket(
        "vote", _vote(c, p), scene=c["scene"]), _vote_ctx("dots"), json=True, full=True,
        numbers=("proposal_id", "dots"), shown=""),
    Target("vote-score", "rest", (), lambda w, c, p: w.rest(
        "POST", f"/proposals/{c['pid']}/votes", _vote(c, p), staff=False, scene=c["scene"]),
        _vote_ctx("scale"), json=True, full=True, numbers=("score",), shown=""),
    Target("vote-score", "socket", (), lambda w, c, p: w.socket(
        "vote", _vote(c, p), scene=c["scene"]), _vote_ctx("scale"), json=True, full=True,
        numbers=("score",), shown=""),
    # --- facilitators: paper notes, moderation, merges, questions ------------------------
    Target("paper", "form", ("title", "body"), lambda w, c, p: w.form(
        f"/events/{w.id}/paper", PROPOSAL | {"table": ""} | p)),
    Target("paper", "rest", ("title", "body"), lambda w, c, p: w.rest(
        "POST", f"/events/{w.id}/paper-proposals", PROPOSAL | p), json=True),
    Target("paper", "socket", ("title", "body"), lambda w, c, p: w.socket(
        "add_paper_proposal", PROPOSAL | p), json=True),
    Target("edit", "form", ("title", "reason", "body"), lambda w, c, p: w.form(
        f"/events/{w.id}/proposals/{c['pid']}/edit", EDIT | p), _proposal_ctx),
    Target("edit", "rest", ("title", "reason", "body"), lambda w, c, p: w.rest(
        "PATCH", f"/proposals/{c['pid']}", EDIT | p), _proposal_ctx, json=True, full=True),
    Target("edit", "socket", ("title", "reason", "body"), lambda w, c, p: w.socket(
        "edit_proposal", {"proposal_id": c["pid"]} | EDIT | p), _proposal_ctx, json=True,
        numbers=("proposal_id",)),
    Target("hide", "form", ("reason",), lambda w, c, p: w.form(
        f"/events/{w.id}/proposals/{c['pid']}/hide", p), _proposal_ctx),
    Target("hide", "rest", ("reason",), lambda w, c, p: w.rest(
        "POST", f"/proposals/{c['pid']}/hide", p), _proposal_ctx, json=True),
    Target("hide", "socket", ("reason",), lambda w, c, p: w.socket(
        "hide_proposal", {"proposal_id": c["pid"]} | p), _proposal_ctx, json=True,
        numbers=("proposal_id",)),
    Target("merge", "form", ("reason",), lambda w, c, p: w.form(
        f"/events/{w.id}/merges", {"source_id": c["source"], "target_id": c["target"]} | p),
        _pair_ctx, shown="", numbers=("target_id",)),
    Target("merge", "rest", ("reason",), lambda w, c, p: w.rest(
        "POST", f"/events/{w.id}/merges", {"source_id": c["source"],
                                           "target_id": c["target"]} | p),
        _pair_ctx, json=True, shown="", numbers=("source_id", "target_id")),
    Target("merge", "socket", ("reason",), lambda w, c, p: w.socket(
        "merge_proposals", {"source_id": c["source"], "target_id": c["target"]} | p),
        _pair_ctx, json=True, shown="", numbers=("source_id",)),
    Target("activity", "rest", ("title",), lambda w, c, p: w.rest(
        "POST", f"/events/{w.id}/activities", {"kind": "questions"} | p), json=True),
    Target("questions", "form", ("questions",), lambda w, c, p: w.form(
        f"/events/{w.id}/questions", {"questions": "Hur reser du?\n" + p["questions"]}),
        replaces=True, lines=("questions",)),
    Target("questions", "rest", ("questions",), lambda w, c, p: w.rest(
        "PUT", f"/events/{w.id}/questions", {"questions": ["Hur reser du?", p["questions"]]}),
        json=True, replaces=True),
    Target("questions", "socket", ("questions",), lambda w, c, p: w.socket(
        "set_questions", {"questions": ["Hur reser du?", p["questions"]]}), json=True,
        replaces=True),
    Target("event", "form", ("title", "prompt", "focus_areas", "questions"),
           lambda w, c, p: w.form("/events/new", EVENT_FORM | p),
           lines=("focus_areas", "questions"), shown="events", numbers=("dots",)),
    Target("event", "rest", ("title", "prompt", "focus_areas", "questions"),
           lambda w, c, p: w.rest("POST", "/events",
                                  EVENT | _listed(p, "focus_areas", "questions")), json=True,
           shown="events"),
    # --- the reference group ----------------------------------------------------------------
    Target("member", "form", ("name", "organisation", "email"), lambda w, c, p: w.form(
        f"/events/{w.group.id}/members", MEMBER | p), shown="group"),
    Target("member", "rest", ("name", "organisation", "email"), lambda w, c, p: w.rest(
        "POST", f"/events/{w.group.id}/members", MEMBER | p), json=True, shown="group"),
    Target("member", "socket", ("name", "organisation", "email"), lambda w, c, p: w.socket(
        "add_member", MEMBER | p, group=True), json=True, shown="group"),
    Target("meeting", "form", ("title",), lambda w, c, p: w.form(
        f"/events/{w.group.id}/meetings", {"starts_at": "2030-05-04T18:00"} | p),
        shown="group"),
    Target("meeting", "rest", ("title",), lambda w, c, p: w.rest(
        "POST", f"/events/{w.group.id}/meetings", {"starts_at": "2030-05-04T18:00"} | p),
        json=True, shown="group"),
    Target("meeting", "socket", ("title",), lambda w, c, p: w.socket(
        "add_meeting", {"starts_at": "2030-05-04T18:00"} | p, group=True), json=True,
        shown="group"),
    # --- the project team: review and backlog ------------------------------------------------
    Target("review", "form", ("public_answer",), lambda w, c, p: w.form(
        f"/review/proposals/{c['pid']}/review", {"status": "not_pursued"} | p), _proposal_ctx,
        shown="review"),
    Target("review", "rest", ("public_answer",), lambda w, c, p: w.rest(
        "PUT", f"/proposals/{c['pid']}/review", {"status": "not_pursued"} | p),
        _proposal_ctx, json=True, shown="review"),
    Target("comment", "form", ("body",), lambda w, c, p: w.form(
        f"/review/proposals/{w.proposal_id}/comments", p), shown="review"),
    Target("comment", "rest", ("body",), lambda w, c, p: w.rest(
        "POST", f"/proposals/{w.proposal_id}/comments", p), json=True, shown="review"),
    Target("measure", "form", ("title", "description", "owner", "focus_area", "co_benefits",
                               "time_frame"), lambda w, c, p: w.form("/backlog/new",
                                                                     MEASURE | p),
           shown="backlog"),
    Target("measure", "rest", ("title", "description", "owner", "focus_area", "co_benefits",
                               "time_frame"), lambda w, c, p: w.rest("POST", "/measures",
                                                                     MEASURE | p), json=True,
           full=True, shown="backlog"),
    Target("measure-edit", "rest", ("title", "description"), lambda w, c, p: w.rest(
        "PATCH", f"/measures/{c['mid']}", p), _measure_ctx, json=True, shown="backlog"),
    Target("measure-status", "rest", ("reason",), lambda w, c, p: w.rest(
        "POST", f"/measures/{c['mid']}/status", {"status": "rejected"} | p), _measure_ctx,
        json=True, shown="backlog"),
    Target("measure-status", "form", ("reason",), lambda w, c, p: w.form(
        f"/backlog/{c['mid']}/status", {"status": "rejected"} | p), _measure_ctx,
        shown="backlog"),
    Target("link", "rest", ("reason",), lambda w, c, p: w.rest(
        "PUT", f"/proposals/{c['pid']}/link", {"kind": "supports",
                                               "measure_id": w.measure_id} | p),
        _proposal_ctx, json=True, shown="review", numbers=("measure_id",)),
    Target("import", "rest", ("title", "description", "owner"), lambda w, c, p: w.rest(
        "POST", "/measures/import", raw=_csv(p), content_type="text/csv"), shown="backlog"),
    Target("import", "form", ("title", "description", "owner"), lambda w, c, p: w.form(
        "/backlog/import", {}, files={"file": (io.BytesIO(_csv(p)), "atgarder.csv")}),
        shown="backlog"),
    # --- signing in -----------------------------------------------------------------------
    Target("login", "form", ("email", "password"), lambda w, c, p: w.form(
        "/login", {"email": "admin@example.se", "password": "fel lösenord"} | p, staff=False),
        quiet=("login_attempts", "login_failures", "lockouts"), shown=""),
    Target("invite", "form", ("email",), lambda w, c, p: w.form(
        "/admin/konton", {"email": "ny@example.se", "role": "reviewer"} | p), shown=""),
]


def _pick(items: list, seed: str):
    return items[zlib.crc32(seed.encode()) % len(items)]


def sends_for(target: Target):
    """(field, payload id, value) for each send: see the module's docstring."""
    sendable = sendable_in_a_form if target.channel == "form" or target.readonly else (
        lambda value: True)
    for position, name in enumerate(target.fields):
        seed = f"{target.name}/{target.channel}/{name}/"
        if target.full and position == 0:
            text = hostile.TEXT
        else:
            text = [_pick([item for item in items if sendable(item[1])], seed + kind)
                    for kind, items in CLASSES.items()]
        yield from ((name, key, value) for key, value in text if sendable(value))
        if target.json and position == 0:
            types = hostile.WRONG_TYPES if target.full else [_pick(hostile.WRONG_TYPES, seed)]
            yield from ((name, "type:" + key, value) for key, value in types)
    for name in target.numbers:
        numbers = hostile.WRONG_NUMBERS if target.full else [
            _pick(hostile.WRONG_NUMBERS, f"{target.name}/{target.channel}/{name}")]
        for key, value in numbers:
            if target.channel == "form" or not target.json:
                value = str(value)  # all a form or a path can hold
            yield name, "number:" + key, value


def success(reply: Reply) -> bool:
    if reply.channel == "socket":
        return reply.body.get("ok") is True
    if reply.channel == "form":
        return reply.status in OK_STATUSES and "flash-error" not in reply.html
    return reply.status in (200, 201)


def refusal_problem(reply: Reply) -> str | None:
    """What is wrong with a refusal, or None if it tells the sender what to fix, in Swedish."""
    if reply.channel == "socket":
        if reply.body.get("ok") is not False:
            return f"socket ack is not a refusal: {reply.body}"
        message = reply.error_message
    elif reply.channel == "rest":
        if reply.status not in REFUSAL_STATUSES or not reply.body or "error" not in reply.body:
            return f"REST refusal {reply.status} {reply.body}"
        message = reply.error_message
    else:
        if reply.status not in REFUSAL_STATUSES | OK_STATUSES:
            return f"form answered {reply.status}"
        problems, text = scan(reply.html)
        # A request the form never sees (too large, unreadable) gets the error page.
        if not any(mark in reply.html for mark in ('class="error', "flash-error",
                                                   "error-page")):
            return f"form {reply.status} shows no error"
        message = text
    return None if is_swedish(message) else f"message not in Swedish: {message!r}"


def sendable_in_a_form(value) -> bool:
    """A browser can only post text it can encode: no lone surrogates (see the raw-byte test)."""
    try:
        return isinstance(value, str) and bool(value.encode())
    except UnicodeEncodeError:
        return False


def _expected_text(target: Target, name: str, value) -> str | None:
    if not isinstance(value, str):
        return None
    if name in target.lines:
        return value.splitlines()[0].strip()
    if target.name == "import" and not sendable_in_a_form(value):
        # Bytes that are not UTF-8 are read as Windows-1252 (docs/backlog.md): not "as typed".
        return ""
    return value.strip()


def _server_error(reply: Reply) -> bool:
    return reply.status is not None and reply.status >= 500 or (
        reply.body or {}).get("error") == "server_error"


def new_tally() -> dict:
    return {"sent": 0, "refused": 0, "stored": 0, "read": 0, "failures": [],
            "stored_values": [], "contexts": []}


def check(world: World, target: Target, tally: dict, where: str, send, expected=None,
          may_store=True):
    """Send once, and judge the answer against what the database did.

    `send(context)` sends; `expected` is the text a write must hold (None: must not write).
    """
    context = target.prepare(world)
    before = fingerprint()
    reply = send(context)
    tally["sent"] += 1
    after = fingerprint()
    for table in target.quiet:
        before.pop(table, None), after.pop(table, None)
    if _server_error(reply):
        tally["failures"].append(f"{where}: server error {reply.status} {reply.body}")
        return reply
    if target.readonly:
        tally["read"] += 1
        if after != before or not (success(reply) or refusal_problem(reply) is None):
            tally["failures"].append(f"{where}: query wrote or failed: {reply.status}")
        return reply
    if after != before:
        tally["stored"] += 1
        stored = changed_texts(before, after)
        if not success(reply):
            tally["failures"].append(f"{where}: changed the database but refused "
                                     f"({reply.status} {reply.body})")
        elif expected is None or not may_store:
            tally["failures"].append(f"{where}: stored what it should have refused")
        elif not any(" ".join(expected.split()) in " ".join(cell.split()) for cell in stored):
            tally["failures"].append(f"{where}: stored, but not as typed")
        else:
            tally["contexts"].append(context)
            return reply
        return reply
    tally["refused"] += 1
    if success(reply):
        tally["failures"].append(f"{where}: accepted but nothing stored: {reply.body}")
    elif problem := refusal_problem(reply):
        tally["failures"].append(f"{where}: {problem}")
    return reply


def run_target(world: World, target: Target) -> dict:
    tally = new_tally()
    for name, key, value in sends_for(target):
        if target.channel == "rest" and target.readonly and not sendable_in_a_form(value):
            continue  # a query string holds only text
        expected = _expected_text(target, name, value) if not key.startswith(
            ("type:", "number:")) else None
        stored_before = len(tally["contexts"])
        check(world, target, tally, f"{target.name}/{target.channel} {name}={key}",
              lambda context, name=name, value=value: target.send(world, context,
                                                                   {name: value}), expected)
        if len(tally["contexts"]) > stored_before:  # stored, and as typed
            tally["stored_values"].append((key, expected))
            if target.replaces:
                tally["failures"] += shown_inert(world, [(key, expected)],
                                                 [(world.phone, f"/j/{world.code}")])
    return tally


def pages(world: World, target: Target, contexts: list[dict]) -> list:
    """The pages that show what the target wrote (see `Target.shown`)."""
    desk, phone = world.desk, world.phone
    event = [(phone, f"/j/{world.code}"), (desk, f"/events/{world.id}/console"),
             (desk, f"/events/{world.id}/console/proposals"),
             (desk, f"/events/{world.id}/projector"), (desk, f"/events/{world.id}/poster"),
             (desk, f"/review/events/{world.id}")]
    review = [(desk, f"/review/proposals/{pid}") for pid in
              dict.fromkeys([world.proposal_id] + [c["pid"] for c in contexts if "pid" in c])]
    db.session.rollback()
    if target.shown == "event":
        return event
    if target.shown == "group":
        return [(desk, f"/events/{world.group.id}/console")]
    if target.shown == "review":
        return review + [(desk, f"/review/events/{world.id}"),
                         (desk, f"/atgarder/{world.measure_id}")]
    if target.shown == "events":
        return [(desk, "/events"), (desk, "/review/")] + [
            (desk, f"/events/{eid}/console")
            for eid in db.session.scalars(select(Event.id).where(Event.id > world.group.id))]
    if target.shown == "backlog":
        mids = db.session.scalars(select(Measure.id).where(Measure.id >= world.measure_id))
        return [(desk, "/backlog/"), (desk, "/backlog/investment")] + [
            (desk, f"/atgarder/{mid}") for mid in mids]
    return []


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    app = make_app(f"sqlite:///{tmp_path_factory.mktemp('hostile') / 'test.db'}")
    with app.app_context():
        db.create_all()
        built = World(app, Staff())
        yield built
        built.close_all()
        db.session.remove()
        db.engine.dispose()


def shown_inert(world: World, stored: list, urls) -> list[str]:
    """Pages with no injected markup, showing every stored script-like payload literally."""
    failures, seen = [], []
    for http, url in urls:
        response = http.get(url)
        if response.status_code >= 500:
            failures.append(f"{url}: {response.status_code}")
            continue
        if response.status_code != 200 or "html" not in response.content_type:
            continue
        problems, text = scan(response.get_data(as_text=True))
        failures += [f"{url}: {p}" for p in problems]
        seen.append(text)
    shown = " ".join("\n".join(seen).split())
    literal = dict(hostile.XSS + hostile.TEMPLATE)
    failures += [f"stored {key} is not shown literally on any page" for key, value in stored
                 if key in literal and " ".join(value.split()) not in shown]
    return failures


TOTALS: dict[str, int] = {}


def _report(label: str, tally: dict):
    for key in ("sent", "refused", "stored", "read"):
        TOTALS[key] = TOTALS.get(key, 0) + tally[key]
    print(f"{label}: sent {tally['sent']}, refused {tally['refused']}, "
          f"stored {tally['stored']}, read {tally['read']}  (module so far: {TOTALS})")


@pytest.mark.parametrize("target", TARGETS, ids=[f"{t.name}-{t.channel}" for t in TARGETS])
def test_every_payload_is_refused_or_stored_inert(world, target):
    world.fresh()
    tally = run_target(world, target)
    failures = tally["failures"]
    if not target.replaces:
        failures += shown_inert(world, tally["stored_values"] if target.shown else [],
                                pages(world, target, tally["contexts"]))
    _report(f"{target.name}/{target.channel}", tally)
    assert tally["sent"]
    assert not failures, "\n".join(failures[:40])


JSON_INPUTS = [t for t in TARGETS if t.channel == "rest" and t.json and not t.readonly]
FORM_INPUTS = [t for t in TARGETS if t.channel == "form" and t.name != "import"]
INVALID_UTF8 = b"%FF%FE%20T%E5g"  # percent-encoded bytes that are not UTF-8
INVALID_UTF8_RAW = b"\xff\xfe T\xe5g"


def test_bodies_that_are_no_json_object_are_refused_on_every_rest_input(world):
    world.fresh()
    tally = new_tally()
    for target in JSON_INPUTS:
        for key, raw in hostile.BAD_BODIES:
            # JSON.parse keeps the last of two equal keys too: a write must hold that one.
            expected = "Tåg" if key == "duplicate-keys" else None
            world.body_override = raw
            try:
                check(world, target, tally, f"{target.name}/rest body={key}",
                      lambda context, target=target: target.send(
                          world, context, {target.fields[0] if target.fields
                                           else target.numbers[0]: "Tåg"}), expected)
            finally:
                world.body_override = None
    _report("bad bodies/rest", tally)
    assert tally["refused"] >= len(JSON_INPUTS) * (len(hostile.BAD_BODIES) - 1)
    assert not tally["failures"], "\n".join(tally["failures"][:40])


def test_form_fields_that_are_not_utf8_are_kept_literally_or_refused(world):
    """A browser always posts UTF-8. Hand-made bytes that are not: percent-escapes of them stay
    as typed (Werkzeug keeps "%FF" literally), a raw byte makes the field unreadable, so it
    counts as missing."""
    world.fresh()
    tally = new_tally()
    for label, raw, expected in (("percent-escaped", INVALID_UTF8, "%FF%FE T%E5g"),
                                 ("raw", INVALID_UTF8_RAW, None)):
        world.form_override = raw
        try:
            for target in FORM_INPUTS:
                name = target.fields[0]
                check(world, target, tally, f"{target.name}/form {name}=invalid-utf8-{label}",
                      lambda context, target=target, name=name: target.send(
                          world, context, {name: RAW}), expected)
        finally:
            world.form_override = None
    _report("invalid UTF-8/form", tally)
    assert not tally["failures"], "\n".join(tally["failures"][:40])


PROPOSAL_INPUTS = [t for t in TARGETS if t.name == "proposal"]


@pytest.mark.parametrize("target", PROPOSAL_INPUTS, ids=[t.channel for t in PROPOSAL_INPUTS])
def test_a_megabyte_proposal_is_refused_with_a_clear_error(world, target):
    world.fresh()
    tally = new_tally()
    key, value = hostile.OVERSIZE_1M
    reply = check(world, target, tally, f"proposal/{target.channel} title={key}",
                  lambda context: target.send(world, context, {"title": value}))
    _report(f"1M/{target.channel}", tally)
    assert not tally["failures"], "\n".join(tally["failures"])
    if target.channel == "rest":  # over MAX_CONTENT_LENGTH: the request is never read
        assert (reply.status, reply.body["error"]) == (413, "too_large")
    elif target.channel == "form":  # the same limit, answered with a page
        assert reply.status == 413
        assert "Det du skickade var för stort. Korta texten och skicka igen." in reply.html
        assert "Tillbaka till aktiviteten" in reply.html  # back to where they were writing
    else:  # a test socket has no HTTP buffer limit: the operation itself refuses it
        assert reply.body["error"] == "too_long"
