"""Random workshops: any sequence of proposals, votes, withdrawals, retries, merges and their
undos, hiding and restoring, and phase changes, through the real operations.

A plain Python model says what must be stored after each step. After every step the database
has to match it (votes, statuses, version) and the invariants hold: the tallies are the stored
votes, one vote per person and proposal, the dot budget and cap, votes only on visible
proposals, and the version moves exactly once per accepted write. A write the rules forbid
must be refused with the domain error for one of the rules it breaks, never crash.
"""

import uuid
from collections import Counter

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import select

from participation.accounts.models import User
from participation.core.errors import OperationError
from participation.events.models import SCALE_MAX, SCALE_MIN, Event
from participation.events.operations import TRANSITIONS, change_phase, create_event
from participation.extensions import db
from participation.participants.models import Participant
from participation.proposals import merge as merging
from participation.proposals import moderation
from participation.proposals import operations as ops
from participation.proposals.models import Proposal, Vote
from participation.proposals.ranking import tallies

BUDGET, CAP = 4, 2
VOTING = {"approval": {"method": "approval"},
          "dots": {"method": "dots", "dots": BUDGET, "max_per_proposal": CAP},
          "scale": {"method": "scale"}}
RESIDENTS = ("anna", "bo", "cem")
PHASES = tuple(TRANSITIONS)
MAX_PROPOSALS = 6
pick = st.integers(min_value=0, max_value=11)  # an index into the proposals (or merges) so far
amounts = st.integers(min_value=0, max_value=9)


def token(resident: str) -> str:
    return f"{resident}-token"


def for_event(event_id: int, resident: str):
    return lambda eid: token(resident) if eid == event_id else None


def new_key() -> str:
    return uuid.uuid4().hex


def attempt(call, broken: set[str]):
    """Run a write. With `broken` rules it must be refused with one of them, else succeed."""
    try:
        result = call()
    except OperationError as error:
        db.session.remove()
        assert broken, f"refused without a broken rule: {error.code}"
        assert error.code in broken, (error.code, broken)
        return None
    db.session.remove()
    assert not broken, f"accepted although it breaks {broken}: {result}"
    return result


def combine(method: str, before: int, source: int) -> int:
    # Written out here, not imported: the model must not share the code it checks.
    return {"approval": 1, "dots": min(before + source, CAP), "scale": max(before, source)}[method]


def run_workshops(staff, examples: int, steps: int):
    facilitator_id = staff.facilitator.id

    def facilitator():
        # Loaded per call: the session is cleared after every step, like after a request.
        return db.session.get(User, facilitator_id)

    class Workshop(RuleBasedStateMachine):
        @initialize(method=st.sampled_from(sorted(VOTING)),
                    start=st.sampled_from(["vote", "collect"]),
                    opening=st.lists(st.tuples(st.sampled_from(RESIDENTS), pick, amounts),
                                     max_size=10))
        def open_event(self, method, start, opening):
            """Four proposals and the `opening` votes on them: later steps meet full ballots."""
            self.method = method
            event = create_event(facilitator(), "Verkstad", "Hur reser vi hållbart?",
                                 "medborgarverkstad", VOTING[method])
            self.event_id = event.id
            change_phase(facilitator(), event.id, "collect")
            self.phase = "collect"
            self.version = db.session.scalar(select(Event.version)
                                             .where(Event.id == event.id))
            self.status: dict[int, str] = {}  # proposal id -> visible, hidden or merged
            self.votes: dict[tuple[str, int], int] = {}  # (resident, proposal) -> dots or score
            self.merges: list[dict] = []
            self.receipts: list[tuple[str, str, dict]] = []  # accepted votes, for retries
            for resident in RESIDENTS + RESIDENTS[:1]:
                self.submit(resident)
            self.move_phase("vote", 0)
            for resident, index, amount in opening:
                self.cast(resident, self.pid(index), amount)
            if start != "vote":
                self.move_phase(start, 0)
            db.session.remove()

        # --- the model's view ---------------------------------------------------------------

        def accepted(self):
            self.version += 1

        def pid(self, index: int) -> int:
            return sorted(self.status)[index % len(self.status)]

        def visible(self) -> list[int]:
            return [pid for pid in sorted(self.status) if self.status[pid] == "visible"]

        def spent(self, resident: str) -> int:
            return sum(d for (who, _), d in self.votes.items() if who == resident)

        def ballot(self, resident: str) -> dict:
            mine = {str(pid): d for (who, pid), d in self.votes.items() if who == resident}
            spent = len(mine) if self.method == "scale" else sum(mine.values())
            return {"votes": mine, "spent": spent,
                    "remaining": BUDGET - spent if self.method == "dots" else None}

        def phase_rules(self, needed: str) -> set[str]:
            if self.phase == "closed":
                return {"event_closed"}
            return set() if self.phase == needed else {"wrong_phase"}

        def status_rules(self, pid: int) -> set[str]:
            return {"merged": {"proposal_merged"}, "hidden": {"proposal_hidden"}}.get(
                self.status[pid], set())

        # --- residents ----------------------------------------------------------------------

        # A few proposals only: votes, merges and undos then meet on the same ones.
        @precondition(lambda self: len(self.status) < MAX_PROPOSALS)
        @rule(resident=st.sampled_from(RESIDENTS))
        def submit(self, resident):
            result = attempt(lambda: ops.submit_proposal(
                self.event_id, token(resident), f"Förslag {len(self.status) + 1}", "",
                new_key()), self.phase_rules("collect"))
            if result:
                self.accepted()
                assert result["version"] == self.version
                self.status[result["proposal"]["id"]] = "visible"

        @precondition(lambda self: self.status)
        @rule(resident=st.sampled_from(RESIDENTS), index=pick, amount=amounts)
        def vote(self, resident, index, amount):
            self.cast(resident, self.pid(index), amount)

        @precondition(lambda self: "visible" in self.status.values())
        @rule(resident=st.sampled_from(RESIDENTS), index=pick, amount=amounts)
        def vote_on_visible(self, resident, index, amount):
            visible = self.visible()
            self.cast(resident, visible[index % len(visible)], amount)

        @precondition(lambda self: "visible" in self.status.values())
        @rule(picks=st.tuples(*[pick] * len(RESIDENTS)),
              amounts=st.tuples(*[amounts] * len(RESIDENTS)))
        def everyone_votes(self, picks, amounts):
            """A round of votes, one per resident: ballots fill up, so merges carry votes."""
            visible = self.visible()
            for resident, index, amount in zip(RESIDENTS, picks, amounts, strict=True):
                self.cast(resident, visible[index % len(visible)], amount)

        def cast(self, resident, pid, amount):
            """`amount` 0 asks for what the method refuses (a score of 0, two approval votes)."""
            current = self.votes.get((resident, pid), 0)
            broken = self.phase_rules("vote") | self.status_rules(pid)
            if self.method == "scale":
                score = amount if amount <= SCALE_MAX else amount - SCALE_MAX
                kwargs, after = {"score": score}, score
                if not SCALE_MIN <= score <= SCALE_MAX:
                    broken.add("invalid_score")
            elif self.method == "approval":
                kwargs, after = {"dots": 2 if amount == 0 else 1}, 1
                broken |= {"invalid_dots"} if amount == 0 else set()
                broken |= {"already_voted"} if current else set()
            else:
                dots = 1 + amount % (CAP + 1)  # 1 to 3: 3 is always over the cap
                kwargs, after = {"dots": dots}, current + dots
                broken |= {"proposal_dot_limit"} if after > CAP else set()
                broken |= {"no_dots_left"} if self.spent(resident) + dots > BUDGET else set()
            key = new_key()
            result = attempt(lambda: ops.cast_vote(pid, for_event(self.event_id, resident), key,
                                                   **kwargs), broken)
            if result:
                self.accepted()
                self.votes[(resident, pid)] = after
                assert result["version"] == self.version
                assert result["ballot"] == self.ballot(resident)
                self.receipts.append((resident, key, result))

        @precondition(lambda self: self.receipts)
        @rule(index=pick)
        def retry_vote(self, index):
            # A retry of an accepted vote is answered with the stored result and changes nothing,
            # whatever happened since (a phase change, a merge, a withdrawal).
            resident, key, first = self.receipts[index % len(self.receipts)]
            again = attempt(lambda: ops.cast_vote(first["proposal_id"],
                                                  for_event(self.event_id, resident), key), set())
            assert again == first | {"replayed": True}

        @precondition(lambda self: self.status)
        @rule(resident=st.sampled_from(RESIDENTS), index=pick, keyed=st.booleans())
        def withdraw(self, resident, index, keyed):
            pid = self.pid(index)
            broken = self.phase_rules("vote")
            if (resident, pid) not in self.votes:
                broken.add("no_vote")
            result = attempt(lambda: ops.withdraw_vote(
                pid, for_event(self.event_id, resident), new_key() if keyed else None), broken)
            if result:
                self.accepted()
                del self.votes[(resident, pid)]
                assert result["version"] == self.version
                assert result["ballot"] == self.ballot(resident)

        # --- the facilitator ----------------------------------------------------------------

        @rule(phase=st.sampled_from(PHASES), step=st.integers(min_value=0, max_value=4))
        def move_phase(self, phase, step):
            """Mostly a step the rules allow (`step` > 0 picks one); else straight to `phase`."""
            if step:
                allowed = sorted(TRANSITIONS[self.phase])
                phase = allowed[step % len(allowed)]
            broken = set()
            if phase == self.phase:
                broken.add("same_phase")
            elif phase not in TRANSITIONS[self.phase]:
                broken.add("invalid_transition")
            if attempt(lambda: change_phase(facilitator(), self.event_id, phase), broken):
                self.accepted()
                self.phase = phase

        @precondition(lambda self: self.status)
        @rule(index=pick, hide=st.booleans())
        def moderate(self, index, hide):
            """Hide a proposal, or restore a hidden one (one rule: moderation is rarer)."""
            pid = self.pid(index)
            wanted = ("visible", "hidden") if hide else ("hidden", "visible")
            status = self.status[pid]
            broken = {f"already_{status}"} if status != wanted[0] else set()

            def call():
                if hide:
                    return moderation.hide_proposal(facilitator(), pid, "Personangrepp")
                return moderation.restore_proposal(facilitator(), pid)

            if not attempt(call, broken):
                return
            self.accepted()
            self.status[pid] = wanted[1]
            if hide:
                # A hidden proposal's votes go back to the voters, and stay so when restored.
                self.votes = {k: d for k, d in self.votes.items() if k[1] != pid}

        @precondition(lambda self: len(self.status) >= 2)
        @rule(source_index=pick, target_index=pick, among_visible=st.booleans())
        def merge(self, source_index, target_index, among_visible):
            """Half the time between visible proposals, so that merges pile up and chain."""
            choices = self.visible() if among_visible else sorted(self.status)
            choices = choices or sorted(self.status)
            source = choices[source_index % len(choices)]
            target = choices[target_index % len(choices)]
            broken = {"event_closed"} if self.phase == "closed" else set()
            if source == target:
                broken = {"same_proposal"}
            for pid in (source, target):
                broken |= {"merged": {"already_merged"}, "hidden": {"proposal_hidden"}}.get(
                    self.status[pid], set())
            result = attempt(lambda: merging.merge_proposals(facilitator(), source, target),
                             broken)
            if not result:
                return
            self.accepted()
            recorded = {}
            for resident in RESIDENTS:
                if (resident, source) not in self.votes:
                    continue
                before = self.votes.get((resident, target), 0)
                moved = self.votes.pop((resident, source))
                merged = combine(self.method, before, moved)
                recorded[resident] = (before, moved, merged)
                self.votes[(resident, target)] = merged
            self.status[source] = "merged"
            self.merges.append({"id": result["merge"]["id"], "source": source, "target": target,
                                "recorded": recorded, "undone": False})

        @precondition(lambda self: self.merges)
        @rule(index=pick, latest=st.booleans())
        def undo_merge(self, index, latest):
            """Half the time the newest merge not undone, which the rules allow to undo."""
            active = [m for m in self.merges if not m["undone"]]
            merge = active[-1] if latest and active else self.merges[index % len(self.merges)]
            broken = set()
            if self.phase == "closed":
                broken.add("event_closed")
            if merge["undone"]:
                broken.add("already_undone")
            if any(not later["undone"] and later["id"] > merge["id"]
                   and merge["target"] in (later["source"], later["target"])
                   for later in self.merges):
                broken.add("merge_not_last")
            result = attempt(lambda: merging.undo_merge(facilitator(), merge["id"]), broken)
            if not result:
                return
            self.accepted()
            source, target = merge["source"], merge["target"]
            restored = 0
            for resident, (before, moved, merged) in merge["recorded"].items():
                # Someone who changed their target vote since, or spent the dots the merge
                # gave back, keeps what they have now.
                if self.votes.get((resident, target)) != merged:
                    continue
                if self.method == "dots" and (
                        self.spent(resident) - merged + before + moved > BUDGET):
                    continue
                restored += 1
                self.votes[(resident, source)] = moved
                if before:
                    self.votes[(resident, target)] = before
                else:
                    del self.votes[(resident, target)]
            assert result["restored_votes"] == restored
            self.status[source] = "visible"
            merge["undone"] = True

        # --- what must hold after every step ------------------------------------------------

        @invariant()
        def stored_state_is_the_model(self):
            if not hasattr(self, "event_id"):
                return
            db.session.remove()
            rows = db.session.execute(
                select(Participant.token, Vote.proposal_id, Vote.dots, Proposal.status)
                .join(Participant, Participant.id == Vote.participant_id)
                .join(Proposal, Proposal.id == Vote.proposal_id)
                .where(Vote.event_id == self.event_id)).all()
            keys = [(who, pid) for who, pid, _, _ in rows]
            assert len(keys) == len(set(keys)), "two votes by one person on one proposal"
            assert {(who.removesuffix("-token"), pid): d for who, pid, d, _ in rows} == self.votes
            assert {status for *_, status in rows} <= {"visible"}, "a vote not on a visible one"
            statuses = dict(db.session.execute(select(Proposal.id, Proposal.status)
                                               .where(Proposal.event_id == self.event_id)).all())
            assert statuses == self.status
            stored = db.session.execute(select(Event.version, Event.phase)
                                        .where(Event.id == self.event_id)).one()
            assert tuple(stored) == (self.version, self.phase)
            self.check_limits()
            assert tallies(self.event_id) == self.expected_tallies()
            db.session.remove()

        def check_limits(self):
            if self.method == "approval":
                assert set(self.votes.values()) <= {1}
            elif self.method == "scale":
                assert all(SCALE_MIN <= d <= SCALE_MAX for d in self.votes.values())
            else:
                assert all(1 <= d <= CAP for d in self.votes.values())
                assert all(self.spent(r) <= BUDGET for r in RESIDENTS)

        def expected_tallies(self) -> dict:
            by_proposal: dict[int, list[int]] = {}
            for (_, pid), d in self.votes.items():
                by_proposal.setdefault(pid, []).append(d)
            if self.method != "scale":
                return {pid: {"votes": len(ds), "dots": sum(ds)} for pid, ds in by_proposal.items()}
            expected = {}
            for pid, scores in by_proposal.items():
                counted = Counter(scores)
                expected[pid] = {
                    "votes": len(scores), "ratings": len(scores), "sum": sum(scores),
                    "mean": round(sum(scores) / len(scores), 2),
                    "distribution": {str(s): counted[s] for s in range(SCALE_MIN, SCALE_MAX + 1)}}
            return expected

    run_state_machine_as_test(Workshop, settings=settings(
        max_examples=examples, stateful_step_count=steps, deadline=None, database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]))


def test_random_workshops_keep_every_invariant(app, staff):
    run_workshops(staff, examples=40, steps=40)


@pytest.mark.postgres
@pytest.mark.parametrize("any_db_app", ["postgres"], indirect=True)
def test_random_workshops_on_postgres(any_db_app, staff):
    # Fewer runs: the same rules, checked against PostgreSQL's locking and constraints.
    run_workshops(staff, examples=20, steps=40)
