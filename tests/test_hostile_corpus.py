"""The hostile-input corpus (tests/data/hostile.py) through every text input, on every channel.

Each payload is either refused -- a 4xx (or a socket error ack) with a Swedish message, and the
database exactly as before -- or stored as typed and then rendered inert on every page that
shows it: no injected element or attribute, the text shown literally. Never a 500.
"""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pytest
from sqlalchemy import select

from participation.backlog.models import Measure
from participation.events.models import Event
from participation.extensions import db

from .data import hostile
from .support.hostile_world import Reply, World, changed_texts, fingerprint, is_swedish, new_id
from .support.inert import scan

# A few payloads for the secondary fields of an input; the primary field gets all of TEXT.
SAMPLE = {"img-onerror-breakout", "close-script", "dq-attribute", "jinja-expression",
          "csv-equals", "rtl-override", "emoji", "nul-byte", "lone-high-surrogate",
          "oversize-10k"}
TYPE_SAMPLE = {"list", "operator-object", "number", "true"}
OK_STATUSES = {200, 201, 302, 303}
REFUSAL_STATUSES = {400, 404, 409, 413, 422, 429}


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
    shown: bool = True  # shown on an HTML page (a merge's reason is kept for the log only)
    full: bool = True  # every payload; set below for the twins of a REST input


def _proposal_ctx(world):
    return {"pid": world.new_proposal()}


def _pair_ctx(world):
    return {"source": world.new_proposal("Buss A"), "target": world.new_proposal("Buss B")}


def _measure_ctx(world):
    return {"mid": world.new_measure()}


def _csv(values: dict) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["title", "description", "owner"])
    writer.writeheader()
    writer.writerow({"title": "Import", "description": "", "owner": ""} | values)
    return out.getvalue().encode("utf-8", "surrogatepass")


PROPOSAL = {"title": "Grönare skolgårdar", "body": "Mer träd."}
EDIT = {"title": "Rättad titel", "body": "", "reason": "Stavfel"}
MEASURE = {"title": "Cykelparkering", "description": "", "focus_area": "", "owner": "",
           "co_benefits": "", "time_frame": ""}
EVENT = {"title": "Verkstad", "prompt": "Hur reser vi?", "kind": "medborgarverkstad",
         "voting": {"method": "approval"}, "focus_areas": ["Mobilitet"], "questions": []}
EVENT_FORM = {"title": "Verkstad", "prompt": "Hur reser vi?", "kind": "medborgarverkstad",
              "focus_areas": "Mobilitet", "voting_method": "approval", "moderation": "post",
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
        f"/j/{w.code}/proposals", _proposal(w, p), staff=False)),
    Target("proposal", "rest", ("title", "body"), lambda w, c, p: w.rest(
        "POST", f"/events/{w.id}/proposals", _proposal(w, p),
        staff=False), json=True),
    Target("proposal", "socket", ("title", "body"), lambda w, c, p: w.socket(
        "submit_proposal", _proposal(w, p), staff=False), json=True),
    Target("display-name", "form", ("display_name",), lambda w, c, p: w.form(
        f"/j/{w.code}/name", p, staff=False), replaces=True),
    Target("similar", "rest", ("title", "body"), lambda w, c, p: w.rest(
        "GET", f"/events/{w.id}/similar?" + urlencode(p),
        staff=False), readonly=True),
    Target("similar", "socket", ("title", "body"), lambda w, c, p: w.socket(
        "similar", {"title": "Buss"} | p, staff=False), json=True, readonly=True),
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
        "PATCH", f"/proposals/{c['pid']}", EDIT | p), _proposal_ctx, json=True),
    Target("edit", "socket", ("title", "reason", "body"), lambda w, c, p: w.socket(
        "edit_proposal", EDIT | {"proposal_id": c["pid"]} | p), _proposal_ctx, json=True),
    Target("hide", "form", ("reason",), lambda w, c, p: w.form(
        f"/events/{w.id}/proposals/{c['pid']}/hide", p), _proposal_ctx),
    Target("hide", "rest", ("reason",), lambda w, c, p: w.rest(
        "POST", f"/proposals/{c['pid']}/hide", p), _proposal_ctx, json=True),
    Target("hide", "socket", ("reason",), lambda w, c, p: w.socket(
        "hide_proposal", {"proposal_id": c["pid"]} | p), _proposal_ctx, json=True),
    Target("merge", "form", ("reason",), lambda w, c, p: w.form(
        f"/events/{w.id}/merges", {"source_id": c["source"], "target_id": c["target"]} | p),
        _pair_ctx, shown=False),
    Target("merge", "rest", ("reason",), lambda w, c, p: w.rest(
        "POST", f"/events/{w.id}/merges", {"source_id": c["source"],
                                           "target_id": c["target"]} | p),
        _pair_ctx, json=True, shown=False),
    Target("merge", "socket", ("reason",), lambda w, c, p: w.socket(
        "merge_proposals", {"source_id": c["source"], "target_id": c["target"]} | p),
        _pair_ctx, json=True, shown=False),
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
           lines=("focus_areas", "questions")),
    Target("event", "rest", ("title", "prompt", "focus_areas", "questions"),
           lambda w, c, p: w.rest("POST", "/events",
                                  EVENT | _listed(p, "focus_areas", "questions")), json=True),
    # --- the reference group ----------------------------------------------------------------
    Target("member", "form", ("name", "organisation", "email"), lambda w, c, p: w.form(
        f"/events/{w.group.id}/members", MEMBER | p)),
    Target("member", "rest", ("name", "organisation", "email"), lambda w, c, p: w.rest(
        "POST", f"/events/{w.group.id}/members", MEMBER | p), json=True),
    Target("member", "socket", ("name", "organisation", "email"), lambda w, c, p: w.socket(
        "add_member", MEMBER | p, group=True), json=True),
    Target("meeting", "form", ("title",), lambda w, c, p: w.form(
        f"/events/{w.group.id}/meetings", {"starts_at": "2030-05-04T18:00"} | p)),
    Target("meeting", "rest", ("title",), lambda w, c, p: w.rest(
        "POST", f"/events/{w.group.id}/meetings", {"starts_at": "2030-05-04T18:00"} | p),
        json=True),
    Target("meeting", "socket", ("title",), lambda w, c, p: w.socket(
        "add_meeting", {"starts_at": "2030-05-04T18:00"} | p, group=True), json=True),
    # --- the project team: review and backlog ------------------------------------------------
    Target("review", "form", ("public_answer",), lambda w, c, p: w.form(
        f"/review/proposals/{c['pid']}/review", {"status": "not_pursued"} | p), _proposal_ctx),
    Target("review", "rest", ("public_answer",), lambda w, c, p: w.rest(
        "PUT", f"/proposals/{c['pid']}/review", {"status": "not_pursued"} | p),
        _proposal_ctx, json=True),
    Target("comment", "form", ("body",), lambda w, c, p: w.form(
        f"/review/proposals/{w.proposal_id}/comments", p)),
    Target("comment", "rest", ("body",), lambda w, c, p: w.rest(
        "POST", f"/proposals/{w.proposal_id}/comments", p), json=True),
    Target("measure", "form", ("title", "description", "owner", "focus_area", "co_benefits",
                               "time_frame"), lambda w, c, p: w.form("/backlog/new",
                                                                     MEASURE | p)),
    Target("measure", "rest", ("title", "description", "owner", "focus_area", "co_benefits",
                               "time_frame"), lambda w, c, p: w.rest("POST", "/measures",
                                                                     MEASURE | p), json=True),
    Target("measure-edit", "rest", ("title", "description"), lambda w, c, p: w.rest(
        "PATCH", f"/measures/{c['mid']}", p), _measure_ctx, json=True),
    Target("measure-status", "rest", ("reason",), lambda w, c, p: w.rest(
        "POST", f"/measures/{c['mid']}/status", {"status": "rejected"} | p), _measure_ctx,
        json=True),
    Target("measure-status", "form", ("reason",), lambda w, c, p: w.form(
        f"/backlog/{c['mid']}/status", {"status": "rejected"} | p), _measure_ctx),
    Target("link", "rest", ("reason",), lambda w, c, p: w.rest(
        "PUT", f"/proposals/{c['pid']}/link", {"kind": "supports",
                                               "measure_id": w.measure_id} | p),
        _proposal_ctx, json=True),
    Target("import", "rest", ("title", "description", "owner"), lambda w, c, p: w.rest(
        "POST", "/measures/import", raw=_csv(p), content_type="text/csv")),
    Target("import", "form", ("title", "description", "owner"), lambda w, c, p: w.form(
        "/backlog/import", {}, files={"file": (io.BytesIO(_csv(p)), "atgarder.csv")})),
    # --- signing in -----------------------------------------------------------------------
    Target("login", "form", ("email", "password"), lambda w, c, p: w.form(
        "/login", {"email": "admin@example.se", "password": "fel lösenord"} | p, staff=False),
        quiet=("login_attempts", "login_failures", "lockouts")),
]


# The form and socket twins of a REST input call the same operation, which the REST channel
# puts through the whole corpus: they get what tests their own decoding and rendering.
CHANNEL_SAMPLE = SAMPLE | {"script-tag", "svg-onload-single", "close-textarea", "zero-width",
                           "blank-unicode", "combining-flood", "jinja-statement", "csv-at"}
_REST = {t.name for t in TARGETS if t.channel == "rest" and not t.readonly}
for _target in TARGETS:
    _target.full = _target.channel == "rest" or _target.name not in _REST


def payloads_for(target: Target, position: int):
    chosen = (SAMPLE if position else set()) | (set() if target.full else CHANNEL_SAMPLE)
    text = [t for t in hostile.TEXT if not chosen or t[0] in chosen] if (
        position or not target.full) else hostile.TEXT
    yield from text
    if target.json:
        yield from (("type:" + key, value) for key, value in hostile.WRONG_TYPES
                    if (position == 0 and target.full) or key in TYPE_SAMPLE)


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
        if 'class="error' not in reply.html and "flash-error" not in reply.html:
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


def run_target(world: World, target: Target) -> dict:
    tally = {"sent": 0, "refused": 0, "stored": 0, "read": 0, "failures": [], "stored_values": [],
             "contexts": []}
    last = None
    for position, name in enumerate(target.fields):
        for key, value in payloads_for(target, position):
            if target.channel == "rest" and target.readonly and not sendable_in_a_form(value):
                continue  # a query string holds only text
            context = target.prepare(world)
            # Nothing else writes between two sends: the last "after" is this "before".
            before = fingerprint() if context or last is None else last
            if target.channel == "form" and not sendable_in_a_form(value):
                continue
            reply = target.send(world, context, {name: value})
            tally["sent"] += 1
            after = last = fingerprint()
            if target.quiet:
                before, after = ({k: v for k, v in rows.items() if k not in target.quiet}
                                 for rows in (before, after))
            where = f"{target.name}/{target.channel} {name}={key}"
            if reply.status is not None and reply.status >= 500 or (
                    reply.body or {}).get("error") == "server_error":
                tally["failures"].append(f"{where}: server error {reply.status} {reply.body}")
                continue
            if target.readonly:
                tally["read"] += 1
                if after != before or not (success(reply) or refusal_problem(reply) is None):
                    tally["failures"].append(f"{where}: query wrote or failed: {reply.status}")
                continue
            if after != before:
                tally["stored"] += 1
                stored = changed_texts(before, after)
                expected = _expected_text(target, name, value)
                if not success(reply):
                    tally["failures"].append(f"{where}: changed the database but refused "
                                             f"({reply.status} {reply.body})")
                elif not isinstance(value, str):
                    tally["failures"].append(f"{where}: a {type(value).__name__} was stored "
                                             f"as text")
                elif not any(" ".join(expected.split()) in " ".join(cell.split())
                             for cell in stored):
                    tally["failures"].append(f"{where}: stored, but not as typed")
                else:
                    tally["stored_values"].append((key, expected))
                    tally["contexts"].append(context)
                    if target.replaces:
                        tally["failures"] += shown_inert(world, [(key, expected)],
                                                         [(world.phone, f"/j/{world.code}")])
                continue
            tally["refused"] += 1
            if success(reply):
                tally["failures"].append(f"{where}: accepted but nothing stored: {reply.body}")
            elif problem := refusal_problem(reply):
                tally["failures"].append(f"{where}: {problem}")
    return tally


def pages(world: World, target: Target, contexts: list[dict]) -> list:
    """Every page that shows what the target wrote (the reading pages for one proposal or
    measure only where the target wrote to that one)."""
    desk, phone = world.desk, world.phone
    urls = [(phone, f"/j/{world.code}"), (desk, f"/events/{world.id}/console"),
            (desk, f"/events/{world.id}/console/proposals"),
            (desk, f"/events/{world.id}/projector"), (desk, f"/events/{world.id}/poster"),
            (desk, f"/events/{world.group.id}/console"), (desk, "/events"),
            (desk, "/review/"), (desk, f"/review/events/{world.id}"),
            (desk, f"/review/proposals/{world.proposal_id}"), (desk, "/backlog/"),
            (desk, f"/atgarder/{world.measure_id}"), (desk, "/backlog/investment")]
    if target.name == "review":
        urls += [(desk, f"/review/proposals/{c['pid']}") for c in contexts]
    urls += [(desk, f"/atgarder/{c['mid']}") for c in contexts if "mid" in c]
    if target.name in ("measure", "import"):
        db.session.rollback()
        urls += [(desk, f"/atgarder/{mid}") for mid in db.session.scalars(select(Measure.id))]
    if target.name == "event":
        db.session.rollback()
        urls += [(desk, f"/events/{eid}/console") for eid in db.session.scalars(select(Event.id))]
    return urls


@pytest.fixture
def world(app, staff, make_event):
    built = World(app, staff, make_event)
    yield built
    built.close()


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


@pytest.mark.parametrize("target", TARGETS, ids=[f"{t.name}-{t.channel}" for t in TARGETS])
def test_every_payload_is_refused_or_stored_inert(world, target):
    tally = run_target(world, target)
    failures = tally["failures"]
    if not target.replaces:
        failures += shown_inert(world, tally["stored_values"] if target.shown else [],
                                pages(world, target, tally["contexts"]))
    print(f"{target.name}/{target.channel}: sent {tally['sent']}, refused {tally['refused']}, "
          f"stored {tally['stored']}, read {tally['read']}")
    assert tally["sent"]
    assert not failures, "\n".join(failures[:40])
