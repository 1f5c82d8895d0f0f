"""Every refusal of the write path, on every channel that takes the write: status, code, field.

One row per `OperationError` that the proposal, vote, moderation, merge and event operations
raise. Each row is sent over REST (its status, `error` and `field`), over Socket.IO (the ack's
`error` and `field`) and, where a no-JavaScript form reaches the operation, as that form (the
phone page answers with the status and shows the message; the console flashes it). Nothing is
stored by any of them: the event's version is the same afterwards.

`test_every_code_raised_has_a_row` reads the operations' source, so a new refusal without a
row here fails the suite.
"""

import ast
import gettext
import html
import logging
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from participation.events.models import Event
from participation.events.operations import TIMER_MAX_SECONDS, change_phase, create_event
from participation.extensions import db
from participation.proposals.merge import merge_proposals, undo_merge
from participation.proposals.moderation import approve_proposal, hide_proposal
from participation.proposals.operations import submit_proposal
from participation.web import writes

from .conftest import csrf_from, login
from .support.budget import add_measures, budget_voting
from .support.sockets import Socket

API = "/api/v1"
ROOT = Path(__file__).resolve().parents[1]
# The operations this table covers, as files (the four of `make mutation`, and moderation).
COVERED = ["participation/proposals/operations.py", "participation/proposals/merge.py",
           "participation/proposals/moderation.py", "participation/events/operations.py"]
DOTS = {"method": "dots", "dots": 5, "max_per_proposal": 3}
USED_CLIENT_ID = "phone-vote-client-1"
FLASH_ERROR = re.compile(r'class="flash flash-error"[^>]*>([^<]*)<')


def fresh() -> str:
    return uuid.uuid4().hex


# --- the worlds the refusals happen in -----------------------------------------------------


@dataclass
class World:
    event: Event
    ids: dict[str, int] = field(default_factory=dict)


def _propose(event, name, token="author-token"):
    return submit_proposal(event.id, token, f"Förslag {name}", "", fresh())["proposal"]["id"]


def _to(staff, event, *phases):
    for phase in phases:
        change_phase(staff.facilitator, event.id, phase)


def collect_world(make_event, staff):
    return World(make_event(phase="collect"))


def questions_world(make_event, staff):
    return World(make_event(phase="collect", questions=["Hur tar vi oss fram?"]))


def vote_world(make_event, staff):
    """Moderated before: pending, hidden and merged proposals, merges done and undone."""
    event = make_event(phase="collect", moderation="pre")
    names = ["v", "v2", "hidden", "merged", "target", "a", "b", "c", "d", "e", "pending"]
    ids = {name: _propose(event, name) for name in names}
    for name in names[:-1]:
        approve_proposal(staff.facilitator, ids[name])
    hide_proposal(staff.facilitator, ids["hidden"], "Stötande")
    merge_proposals(staff.facilitator, ids["merged"], ids["target"])
    ids["m_first"] = merge_proposals(staff.facilitator, ids["a"], ids["b"])["merge"]["id"]
    ids["m_second"] = merge_proposals(staff.facilitator, ids["b"], ids["c"])["merge"]["id"]
    ids["m_undone"] = merge_proposals(staff.facilitator, ids["d"], ids["e"])["merge"]["id"]
    undo_merge(staff.facilitator, ids["m_undone"])
    _to(staff, event, "vote")
    other = make_event(phase="collect", title="Ett annat möte")
    ids["elsewhere"] = _propose(other, "någon annanstans")
    _to(staff, other, "vote")
    return World(event, ids)


def dots_world(make_event, staff):
    """The phone has 3 dots (the cap) on v and 2 on v2: all 5 spent."""
    event = make_event(voting=DOTS, phase="collect")
    ids = {name: _propose(event, name) for name in ("v", "v2", "v3")}
    _to(staff, event, "vote")
    return World(event, ids)


def scale_world(make_event, staff):
    event = make_event(voting={"method": "scale"}, phase="collect")
    ids = {"v": _propose(event, "v")}
    _to(staff, event, "vote")
    return World(event, ids)


def closed_world(make_event, staff):
    event = make_event(phase="collect")
    ids = {name: _propose(event, name) for name in ("v", "w", "x")}
    _to(staff, event, "vote")
    ids["m_active"] = merge_proposals(staff.facilitator, ids["x"], ids["w"])["merge"]["id"]
    _to(staff, event, "results", "closed")
    return World(event, ids)


def budget_world(make_event, staff):
    event = make_event(voting=budget_voting(add_measures()), phase="collect")
    ids = {"v": _propose(event, "v")}
    _to(staff, event, "vote")
    return World(event, ids)


WORLDS = {"budget": budget_world, "collect": collect_world, "questions": questions_world,
          "vote": vote_world, "dots": dots_world, "scale": scale_world, "closed": closed_world}


# --- the rows ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    op: str
    code: str
    status: int
    field: str | None
    world: str
    args: dict
    channels: tuple = ("rest", "socket", "form")
    user: str = "facilitator"  # staff operations: who sends it

    @property
    def id(self) -> str:
        # Plain ASCII, no spaces: an id that can be given back on a command line (mutmut).
        raw = f"{self.op}-{self.code}-{self.world}-{'-'.join(map(str, self.args.values()))}"
        return re.sub(r"[^0-9A-Za-z@_.-]+", "_", raw)[:90]


SWEDISH_CATALOG = (Path(__file__).resolve().parents[1]
                   / "participation/translations/sv/LC_MESSAGES/messages.mo")
LONG = "x" * 201
R = Row


def merge_either_side(code: str, proposal: str) -> list[Row]:
    """A proposal that cannot take part in a merge is refused (409) as its source and as its
    target, the field naming which."""
    return [R("merge", code, 409, side, "vote",
              {"source_id": "@v", "target_id": "@v"} | {side: proposal})
            for side in ("source_id", "target_id")]

ROWS = [
    # submit_proposal
    R("submit", "invalid_client_id", 400, "client_id", "collect",
      {"title": "Cykel", "client_id": "short"}, ("rest", "socket")),
    R("submit", "required", 400, "title", "collect", {"title": "   "}, ("rest", "socket")),
    R("submit", "too_long", 400, "title", "collect", {"title": LONG}, ("rest", "socket")),
    R("submit", "invalid_characters", 400, "title", "collect", {"title": "Cy\u0000kel"}),
    R("submit", "too_long", 400, "body", "collect", {"title": "Cykel", "body": "x" * 5001},
      ("rest", "socket")),
    R("submit", "invalid_type", 400, "focus_area_id", "collect",
      {"title": "Cykel", "focus_area_id": "cyklar"}, ("rest", "socket")),
    R("submit", "invalid_focus_area", 400, "focus_area_id", "collect",
      {"title": "Cykel", "focus_area_id": 999999}),
    R("submit", "invalid_question", 400, "question_id", "collect",
      {"title": "Cykel", "question_id": [1]}, ("rest", "socket")),
    R("submit", "invalid_question", 400, "question_id", "questions", {"title": "Cykel"}),
    R("submit", "invalid_question", 400, "question_id", "collect",
      {"title": "Cykel", "question_id": 999999}, ("rest", "socket")),
    R("submit", "wrong_phase", 409, None, "vote", {"title": "Cykel"}),
    R("submit", "event_closed", 409, None, "closed", {"title": "Cykel"}),
    R("submit", "client_id_reused", 409, "client_id", "vote",
      {"title": "Cykel", "client_id": USED_CLIENT_ID}, ("rest", "socket")),
    # cast_vote
    R("vote", "invalid_client_id", 400, "client_id", "vote",
      {"proposal_id": "@v2", "client_id": None}, ("rest", "socket")),
    R("vote", "invalid_dots", 400, "dots", "vote", {"proposal_id": "@v2", "dots": 0}),
    R("vote", "invalid_dots", 400, "dots", "vote", {"proposal_id": "@v2", "dots": 101},
      ("rest", "socket")),
    R("vote", "invalid_dots", 400, "dots", "vote", {"proposal_id": "@v2", "dots": 2}),
    R("vote", "invalid_score", 400, "score", "vote", {"proposal_id": "@v2", "score": 3}),
    R("vote", "invalid_score", 400, "score", "scale", {"proposal_id": "@v", "score": 6}),
    R("vote", "invalid_score", 400, "score", "scale", {"proposal_id": "@v", "score": "4"},
      ("rest", "socket")),
    R("vote", "proposal_not_found", 404, None, "vote", {"proposal_id": 999999}),
    R("vote", "proposal_not_found", 404, None, "vote", {"proposal_id": "@pending"}),
    R("vote", "proposal_not_found", 404, None, "vote", {"proposal_id": "cykel"}, ("socket",)),
    R("vote", "proposal_merged", 409, None, "vote", {"proposal_id": "@merged"}),
    R("vote", "proposal_hidden", 409, None, "vote", {"proposal_id": "@hidden"}),
    R("vote", "already_voted", 409, None, "vote", {"proposal_id": "@v"}),
    R("vote", "proposal_dot_limit", 409, None, "dots", {"proposal_id": "@v"}),
    R("vote", "no_dots_left", 409, None, "dots", {"proposal_id": "@v3"}),
    R("vote", "wrong_phase", 409, None, "collect-proposal", {"proposal_id": "@v"}),
    R("vote", "event_closed", 409, None, "closed", {"proposal_id": "@v"}),
    R("vote", "budget_event", 409, None, "budget", {"proposal_id": "@v"}),
    R("vote", "not_joined", 403, None, "vote", {"proposal_id": "@elsewhere"},
      ("rest", "socket")),
    # withdraw_vote
    R("withdraw", "invalid_client_id", 400, "client_id", "vote",
      {"proposal_id": "@v", "client_id": "short"}, ("rest", "socket")),
    R("withdraw", "invalid_dots", 400, "dots", "dots", {"proposal_id": "@v", "dots": 0},
      ("rest", "socket")),
    R("withdraw", "invalid_dots", 400, "dots", "vote", {"proposal_id": "@v", "dots": 1},
      ("rest", "socket")),
    R("withdraw", "no_vote", 404, None, "vote", {"proposal_id": "@v2"}),
    R("withdraw", "proposal_not_found", 404, None, "vote", {"proposal_id": "@pending"}),
    R("withdraw", "proposal_not_found", 404, None, "vote", {"proposal_id": 999999}),
    R("withdraw", "wrong_phase", 409, None, "collect-proposal", {"proposal_id": "@v"}),
    R("withdraw", "event_closed", 409, None, "closed", {"proposal_id": "@v"}),
    R("withdraw", "client_id_reused", 409, "client_id", "vote",
      {"proposal_id": "@v", "client_id": USED_CLIENT_ID}, ("rest", "socket")),
    # moderation
    R("hide", "required", 400, "reason", "vote", {"proposal_id": "@v", "reason": " "},
      ("rest", "socket")),
    R("hide", "too_long", 400, "reason", "vote", {"proposal_id": "@v", "reason": "x" * 301},
      ("rest", "socket")),
    R("hide", "already_hidden", 409, None, "vote", {"proposal_id": "@hidden", "reason": "Igen"}),
    R("hide", "already_merged", 409, None, "vote", {"proposal_id": "@merged", "reason": "Nej"}),
    R("hide", "proposal_not_found", 404, None, "vote", {"proposal_id": 999999, "reason": "X"},
      ("rest", "socket")),
    R("hide", "forbidden", 403, None, "vote", {"proposal_id": "@v", "reason": "Nej"},
      ("rest",), user="other"),
    R("approve", "already_visible", 409, None, "vote", {"proposal_id": "@v"}),
    R("approve", "already_hidden", 409, None, "vote", {"proposal_id": "@hidden"}),
    R("restore", "already_visible", 409, None, "vote", {"proposal_id": "@v"}),
    R("restore", "already_pending", 409, None, "vote", {"proposal_id": "@pending"}),
    R("edit", "unchanged", 409, None, "vote",
      {"proposal_id": "@v", "title": "Förslag v", "reason": "Stavning"}),
    R("edit", "required", 400, "title", "vote",
      {"proposal_id": "@v", "title": "", "reason": "Stavning"}, ("rest", "socket")),
    R("edit", "required", 400, "reason", "vote",
      {"proposal_id": "@v", "title": "Nytt", "reason": ""}, ("rest", "socket")),
    # merge_proposals
    R("merge", "invalid_type", 400, "source_id", "vote",
      {"source_id": "v", "target_id": "@v2"}, ("rest", "socket")),
    R("merge", "invalid_type", 400, "target_id", "vote",
      {"source_id": "@v", "target_id": None}, ("rest", "socket")),
    R("merge", "same_proposal", 400, "target_id", "vote", {"source_id": "@v", "target_id": "@v"}),
    R("merge", "too_long", 400, "reason", "vote",
      {"source_id": "@v", "target_id": "@v2", "reason": "x" * 301}, ("rest", "socket")),
    R("merge", "proposal_not_found", 404, None, "vote",
      {"source_id": 999999, "target_id": "@v2"}),
    R("merge", "proposal_not_found", 404, "target_id", "vote",
      {"source_id": "@v", "target_id": 999999}),
    R("merge", "proposal_not_found", 404, None, "vote",
      {"source_id": "@elsewhere", "target_id": "@v"}),
    R("merge", "other_event", 400, "target_id", "vote",
      {"source_id": "@v", "target_id": "@elsewhere"}),
    *merge_either_side("already_merged", "@merged"),
    *merge_either_side("proposal_pending", "@pending"),
    *merge_either_side("proposal_hidden", "@hidden"),
    R("merge", "event_closed", 409, None, "closed", {"source_id": "@v", "target_id": "@w"}),
    R("merge", "forbidden", 403, None, "vote", {"source_id": "@v", "target_id": "@v2"},
      ("rest",), user="other"),
    # undo_merge
    R("undo", "invalid_type", 400, "merge_id", "vote", {"merge_id": "första"}, ("socket",)),
    R("undo", "merge_not_found", 404, None, "vote", {"merge_id": 999999}),
    R("undo", "already_undone", 409, None, "vote", {"merge_id": "@m_undone"}),
    R("undo", "merge_not_last", 409, None, "vote", {"merge_id": "@m_first"}),
    R("undo", "event_closed", 409, None, "closed", {"merge_id": "@m_active"}),
    R("undo", "too_long", 400, "reason", "vote", {"merge_id": "@m_second", "reason": LONG * 2},
      ("rest", "socket")),
    R("undo", "forbidden", 403, None, "vote", {"merge_id": "@m_second"}, ("rest",),
      user="other"),
    # events
    R("phase", "invalid_phase", 400, "phase", "collect", {"phase": "paus"}),
    R("phase", "same_phase", 409, "phase", "collect", {"phase": "collect"}),
    R("phase", "invalid_transition", 409, "phase", "collect", {"phase": "closed"}),
    R("phase", "forbidden", 403, None, "collect", {"phase": "vote"}, ("rest",), user="other"),
    R("phase", "event_not_found", 404, None, "collect", {"event": 999999, "phase": "vote"},
      ("rest",)),
    R("timer", "invalid_timer", 400, "seconds", "collect", {"seconds": TIMER_MAX_SECONDS + 1},
      ("rest", "socket")),
    R("timer", "invalid_timer", 400, "seconds", "collect", {"seconds": -1}, ("rest", "socket")),
    R("timer", "invalid_timer", 400, "seconds", "collect", {"seconds": True},
      ("rest", "socket")),
    R("timer", "invalid_timer", 400, "seconds", "collect", {"seconds": "60"},
      ("rest", "socket")),
    R("timer", "event_closed", 409, None, "closed", {"seconds": 60}),
    R("reveal", "invalid_type", 400, "revealed", "collect", {"revealed": "ja"},
      ("rest", "socket")),
    R("themes", "invalid_type", 400, "show", "collect", {"show": 1}, ("rest", "socket")),
]

CREATE_OK = {"title": "Verkstad", "prompt": "Hur reser vi?", "kind": "medborgarverkstad",
             "voting": {"method": "approval"}}
CREATE_ROWS = [
    ("required", "title", {"title": ""}),
    ("too_long", "title", {"title": LONG}),
    ("required", "prompt", {"prompt": " "}),
    ("invalid_kind", "kind", {"kind": "fest"}),
    ("invalid_voting", "voting", {"voting": "dots"}),
    ("invalid_voting", "voting", {"voting": {"method": "lottery"}}),
    ("invalid_voting", "voting", {"voting": {"method": "dots", "dots": "5"}}),
    ("invalid_voting", "voting", {"voting": {"method": "dots", "dots": 0}}),
    ("invalid_voting", "voting", {"voting": {"method": "dots", "dots": 101}}),
    ("invalid_voting", "voting", {"voting": {"method": "dots", "dots": 5,
                                             "max_per_proposal": 0}}),
    ("invalid_voting", "voting", {"voting": {"method": "dots", "dots": 5,
                                             "max_per_proposal": 6}}),
    ("invalid_type", "hide_tallies", {"hide_tallies": "ja"}),
    ("invalid_type", "shuffle_ballot", {"shuffle_ballot": 1}),
    ("invalid_type", "asks_demographics", {"asks_demographics": None}),
    ("invalid_moderation", "moderation", {"moderation": "never"}),
    ("invalid_focus_areas", "focus_areas", {"focus_areas": "Mobilitet"}),
    ("invalid_focus_areas", "focus_areas", {"focus_areas": [f"Område {n}" for n in range(13)]}),
    ("too_long", "focus_areas", {"focus_areas": ["x" * 81]}),
    ("invalid_count", "tables", {"tables": 61}),
    ("invalid_count", "tables", {"tables": True}),
    ("invalid_measure", "measure_ids", {"voting": {"method": "budget", "budget_sek": 1000,
                                                  "measure_ids": [999999]}}),
]


# --- the channels --------------------------------------------------------------------------


class Channels:
    def __init__(self, app, staff, world: World, row: Row):
        self.app, self.staff, self.world, self.row = app, staff, world, row
        self.event = world.event
        self.user = getattr(staff, row.user)

    def value(self, value):
        if isinstance(value, str) and value.startswith("@"):
            return self.world.ids[value[1:]]
        return value

    def payload(self) -> dict:
        data = {key: self.value(v) for key, v in self.row.args.items()}
        if self.row.op in ("submit", "vote", "withdraw"):
            data.setdefault("client_id", fresh())
        return data

    # REST: the phone's cookie and the page's CSRF token, or the staff's bearer token.
    def rest(self):
        data = self.payload()
        event_id = data.pop("event", self.event.id)
        op = self.row.op
        routes = {
            "submit": ("POST", f"/events/{event_id}/proposals"),
            "vote": ("POST", "/proposals/{proposal_id}/votes"),
            "withdraw": ("DELETE", "/proposals/{proposal_id}/votes"),
            "hide": ("POST", "/proposals/{proposal_id}/hide"),
            "approve": ("POST", "/proposals/{proposal_id}/approve"),
            "restore": ("POST", "/proposals/{proposal_id}/restore"),
            "edit": ("PATCH", "/proposals/{proposal_id}"),
            "merge": ("POST", f"/events/{event_id}/merges"),
            "undo": ("DELETE", "/merges/{merge_id}"),
            "phase": ("POST", f"/events/{event_id}/phase"),
            "timer": ("POST", f"/events/{event_id}/timer"),
            "reveal": ("POST", f"/events/{event_id}/reveal"),
            "themes": ("PUT", f"/events/{event_id}/themes-display"),
        }
        method, path = routes[op]
        for key in ("proposal_id", "merge_id"):
            if "{" + key + "}" in path:
                path = path.replace("{" + key + "}", str(data.pop(key)))
        if op in ("submit", "vote", "withdraw"):
            http, csrf = self.phone()
            headers = {"X-CSRFToken": csrf}
        else:
            http, headers = self.app.test_client(), self.staff.auth(self.user)
        response = http.open(API + path, method=method, json=data, headers=headers)
        return response.status_code, response.get_json()

    def socket(self):
        data = self.payload()
        names = {"submit": "submit_proposal", "vote": "vote", "withdraw": "withdraw_vote",
                 "hide": "hide_proposal", "approve": "approve_proposal",
                 "restore": "restore_proposal", "edit": "edit_proposal",
                 "merge": "merge_proposals", "undo": "undo_merge", "phase": "set_phase",
                 "timer": "set_timer", "reveal": "reveal_tallies", "themes": "set_show_themes"}
        if self.row.op in ("submit", "vote", "withdraw"):
            http, csrf = self.phone()
        else:
            http = self.app.test_client()
            assert login(http, self.user).status_code in (302, 303)
            csrf = csrf_from(http.get("/events").get_data(as_text=True))
        socket = Socket(self.app, http, {"csrf_token": csrf, "event": self.event.id})
        try:
            assert socket.connected
            return socket.call(names[self.row.op], data)
        finally:
            socket.disconnect()

    def form(self):
        """(status, what the person is shown): the phone's page, or the console's flash."""
        data, op, event = self.payload(), self.row.op, self.event
        if op in ("submit", "vote", "withdraw"):
            http, csrf = self.phone()
            form = {"csrf_token": csrf, "client_id": data.pop("client_id")}
            if op == "submit":
                path = f"/j/{event.code}/proposals"
                form |= {k: "" if v is None else str(v) for k, v in data.items()}
            else:
                path = f"/j/{event.code}/proposals/{data.pop('proposal_id')}/{op}"
                form |= {k: str(v) for k, v in data.items()}
                if "score" in data:
                    form["scale"] = "1"
            response = http.post(path, data=form)
            return response.status_code, response.get_data(as_text=True)
        http = self.app.test_client()
        assert login(http, self.user).status_code in (302, 303)
        csrf = csrf_from(http.get("/events").get_data(as_text=True))
        form = {"csrf_token": csrf}
        if op in ("hide", "approve", "restore", "edit"):
            path = f"/events/{event.id}/proposals/{data.pop('proposal_id')}/{op}"
        elif op == "merge":
            path = f"/events/{event.id}/merges"
        elif op == "undo":
            path = f"/events/{event.id}/merges/{data.pop('merge_id')}/undo"
        elif op == "phase":
            path, form["confirmed"] = f"/events/{event.id}/phase", "1"
        elif op == "timer":
            path, form["minutes"] = f"/events/{event.id}/timer", str(data.pop("seconds") // 60)
        form |= {k: str(v) for k, v in data.items() if v is not None}
        response = http.post(path, data=form)
        # Back on the console, whose first paint shows the flashed refusal.
        page = http.get(response.headers["Location"]).get_data(as_text=True)
        return response.status_code, " ".join(FLASH_ERROR.findall(page))

    def phone(self):
        if not hasattr(self, "_phone"):
            http = self.app.test_client()
            csrf = csrf_from(http.get(f"/j/{self.event.code}").get_data(as_text=True))
            self._phone = (http, csrf)
        return self._phone


def build(app, make_event, staff, name: str) -> World:
    if name == "collect-proposal":  # a proposal, and the event back in collect
        world = dots_world(make_event, staff)
        _to(staff, world.event, "collect")
    else:
        world = WORLDS[name](make_event, staff)
    return world


def prepare_phone(channels: Channels, world: World):
    """The phone's own earlier writes: a vote on v (vote world), all its dots (dots world), a
    proposal whose client_id later writes reuse; the closed world's phone voted before."""
    if world.event.voting_method == "dots" and world.event.phase == "vote":
        http, csrf = channels.phone()
        for pid, dots in ((world.ids["v"], 3), (world.ids["v2"], 2)):
            answer = http.post(f"{API}/proposals/{pid}/votes", json={
                "client_id": fresh(), "dots": dots}, headers={"X-CSRFToken": csrf})
            assert answer.status_code == 201, answer.get_json()
    elif "pending" in world.ids:
        http, csrf = channels.phone()
        answer = http.post(f"{API}/proposals/{world.ids['v']}/votes", json={
            "client_id": USED_CLIENT_ID}, headers={"X-CSRFToken": csrf})
        assert answer.status_code == 201, answer.get_json()


def _version(event_id) -> int:
    db.session.rollback()
    return db.session.get(Event, event_id).version


def _swedish_texts() -> tuple[set[str], list[re.Pattern]]:
    """The Swedish catalog's texts, as the messages people are shown; those with a
    placeholder (%(n)d) as patterns."""
    with SWEDISH_CATALOG.open("rb") as compiled:
        texts = [t for key, t in gettext.GNUTranslations(compiled)._catalog.items() if key]
    patterns = [re.compile(re.sub(r"%\\\(\w+\\\)[sdi]", ".+", re.escape(t)), re.S)
                for t in texts if "%(" in t]
    return set(texts), patterns


SWEDISH = _swedish_texts()


def is_swedish_text(message: str) -> bool:
    """A refusal's message is a text of the Swedish catalog: not empty, not "None", not an
    untranslated or changed English text."""
    texts, patterns = SWEDISH
    return message in texts or any(p.fullmatch(message) for p in patterns)


def logged_outcomes(caplog, channel: str) -> list[str]:
    """The outcomes the write log (web/writes.py) gave this channel's writes, logins aside."""
    return [r.outcome for r in caplog.records if r.name == writes.LOGGER
            and r.channel == channel and r.kind != "login"]


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.id)
def test_each_refusal_has_its_status_code_and_field_on_every_channel(app, make_event, staff,
                                                                      row, caplog):
    world = build(app, make_event, staff, row.world)
    channels = Channels(app, staff, world, row)
    prepare_phone(channels, world)
    version = _version(world.event.id)
    want = {"error": row.code} | ({"field": row.field} if row.field else {})
    message = None
    caplog.set_level(logging.INFO, logger=writes.LOGGER)
    if "rest" in row.channels:
        caplog.clear()
        status, body = channels.rest()
        assert logged_outcomes(caplog, "rest") == [row.code]
        assert (status, {k: body.get(k) for k in ("error", "field") if k in body}) == (
            row.status, want), body
        assert is_swedish_text(body["message"]), body["message"]
        message = body["message"]
    if "socket" in row.channels:
        ack = channels.socket()
        assert ack["ok"] is False, ack
        assert {k: ack[k] for k in ("error", "field") if k in ack} == want, ack
        assert message in (None, ack["message"])
        assert is_swedish_text(ack["message"]), ack["message"]
        message = ack["message"]
    if "form" in row.channels:
        caplog.clear()
        status, shown = channels.form()
        # The write log names the refusal, a console's redirect included (not "ok").
        assert logged_outcomes(caplog, "form") == [row.code]
        if row.op in ("submit", "vote", "withdraw"):
            # A refused field of the proposal form is answered 422 with the form again.
            assert status == (422 if row.status == 400 and row.op == "submit" else row.status)
        else:
            assert status in (302, 303)
        assert html.escape(message, quote=False) in shown or message in shown, (message, shown)
    assert _version(world.event.id) == version  # nothing written, not even a version bump


def test_client_id_reuse_is_refused_from_a_proposal(app, make_event, staff):
    """A client_id used for a proposal, then for a vote and a withdrawal."""
    event = make_event(phase="collect")
    http = app.test_client()
    csrf = csrf_from(http.get(f"/j/{event.code}").get_data(as_text=True))
    first = http.post(f"{API}/events/{event.id}/proposals", headers={"X-CSRFToken": csrf},
                      json={"title": "Cykel", "client_id": USED_CLIENT_ID})
    assert first.status_code == 201
    pid = first.get_json()["proposal"]["id"]
    _to(staff, event, "vote")
    for method in ("POST", "DELETE"):
        answer = http.open(f"{API}/proposals/{pid}/votes", method=method,
                           headers={"X-CSRFToken": csrf}, json={"client_id": USED_CLIENT_ID})
        assert (answer.status_code, answer.get_json()["error"],
                answer.get_json()["field"]) == (409, "client_id_reused", "client_id")
        assert is_swedish_text(answer.get_json()["message"])


@pytest.mark.parametrize(("code", "field_", "change"), CREATE_ROWS,
                         ids=[f"{c}-{f}-{n}" for n, (c, f, _) in enumerate(CREATE_ROWS)])
def test_each_refusal_of_a_new_event(app, staff, code, field_, change):
    http = app.test_client()
    before = db.session.query(Event).count()
    answer = http.post(f"{API}/events", json=CREATE_OK | change,
                       headers=staff.auth(staff.facilitator))
    body = answer.get_json()
    assert (answer.status_code, body["error"], body.get("field")) == (400, code, field_), body
    assert is_swedish_text(body["message"]), body["message"]
    db.session.rollback()
    assert db.session.query(Event).count() == before


def test_a_new_event_needs_a_role_that_runs_events(app, staff):
    answer = app.test_client().post(f"{API}/events", json=CREATE_OK,
                                    headers=staff.auth(staff.reviewer))
    assert (answer.status_code, answer.get_json()["error"]) == (403, "forbidden")


# --- the edges that are allowed ------------------------------------------------------------


def test_the_limits_themselves_are_accepted(app, make_event, staff):
    """Exactly four hours of timer; a dots event without a per-proposal cap has the budget as
    its cap; 100 dots; 12 focus areas; 60 tables."""
    event = make_event(phase="collect")
    http = app.test_client()
    auth = staff.auth(staff.facilitator)
    timer = http.post(f"{API}/events/{event.id}/timer", json={"seconds": TIMER_MAX_SECONDS},
                      headers=auth)
    assert timer.status_code == 200, timer.get_json()
    assert timer.get_json()["timer_ends_at"] is not None
    uncapped = create_event(staff.facilitator, "Prickar", "Fördela", "medborgarverkstad",
                            {"method": "dots", "dots": 7})
    assert (uncapped.dots_per_person, uncapped.max_dots_per_proposal) == (7, 7)
    most = http.post(f"{API}/events", headers=auth, json=CREATE_OK | {
        "voting": {"method": "dots", "dots": 100, "max_per_proposal": 100},
        "focus_areas": [f"Område {n}" for n in range(12)], "tables": 60})
    assert most.status_code == 201, most.get_json()


# --- the table is complete -----------------------------------------------------------------


def _raised_codes(path: str) -> set[str]:
    """Codes of OperationError(...) and not_found(...) calls with a literal code."""
    codes = set()
    for node in ast.walk(ast.parse((ROOT / path).read_text())):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args:
            first = node.args[0]
            if node.func.id in ("OperationError", "not_found") and isinstance(
                    first, ast.Constant) and isinstance(first.value, str):
                codes.add(first.value)
    return codes


def test_every_code_raised_has_a_row():
    raised = set().union(*(_raised_codes(path) for path in COVERED))
    # moderation's already_<status> is made from the status (f-string): its rows name them.
    rowed = {row.code for row in ROWS} | {code for code, _f, _c in CREATE_ROWS}
    missing = raised - rowed
    assert not missing, f"refusals without a row in this table: {sorted(missing)}"


@pytest.mark.parametrize("path", ["activities", "team"])
def test_a_read_of_no_such_event_is_event_not_found(app, staff, path):
    answer = app.test_client().get(f"{API}/events/999999/{path}",
                                   headers=staff.auth(staff.facilitator))
    body = answer.get_json()
    assert (answer.status_code, body["error"]) == (404, "event_not_found"), body
    assert is_swedish_text(body["message"])
