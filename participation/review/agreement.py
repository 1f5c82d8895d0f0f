"""Where we agree ("Där vi är överens"): per focus area, measures and proposals side by side
with their support in each group of residents, a bridging score and a flag where groups split.

- A group is a rådslag, a referensgrupp (publicly only "a reference group": access.
  is_public_event) or one table of a medborgarverkstad. Its size is the people who voted at
  it (phones); a supporter is a voter who supported the item (proposals/supporters.py), a
  measure's supporters those of the proposals linked to it (backlog/support.py), once each.
- Only events whose results are out count (access.may_see_results); staff who may review an
  event see it while it runs, as they do at its console.
- Privacy by design: a group of fewer than MIN_GROUP voters never shows. A small table is
  folded into its event's "other tables", and those, if still too few, into its smallest
  table; a group still too small (a whole event) is left out.
- The bridging score is the lowest Wilson lower bound (95 %) of the support share over the
  groups that could vote on the item; "split" means one group's interval lies wholly above
  another's. Hand counts have no group, so they are not counted here. docs/ranking.md.
"""

from collections import defaultdict

from flask_babel import gettext as _
from sqlalchemy import select

from .. import access
from ..backlog.links import measure_path
from ..backlog.models import Measure
from ..backlog.support import supporting_proposals
from ..budgets.models import BudgetChoice
from ..core.interval import wilson
from ..events.models import BallotMeasure, Event, FocusArea, Table
from ..events.tables import table_label
from ..extensions import db
from ..participants.models import Participant
from ..proposals.models import Proposal, Vote
from ..proposals.supporters import is_support

# Fewer voters than this in a group and its figures would come close to telling how a person
# voted: such a group is folded (a table) or left out.
MIN_GROUP = 5
PROPOSALS_PER_AREA = 20
WORKSHOP = "medborgarverkstad"


def _events(user) -> list[Event]:
    events = db.session.scalars(select(Event).order_by(Event.id)).all()
    return [e for e in events if access.may_see_results(
        e, access.STAFF if user is not None and access.may_review(user, e) else access.PUBLIC)]


def _groups(events, user):
    """(voter -> group key, group key -> {label, size}, how many small groups were left out)."""
    by_id = {e.id: e for e in events}
    rows = set()
    for ballot in (Vote, BudgetChoice):  # a voter on proposals, or on a climate budget ballot
        rows |= set(db.session.execute(
            select(ballot.event_id, ballot.participant_id, Table.id, Table.number, Table.name)
            .join(Participant, Participant.id == ballot.participant_id)
            .outerjoin(Table, Table.id == Participant.table_id)
            .where(ballot.event_id.in_(list(by_id))).distinct()).all() if by_id else [])
    members = defaultdict(set)
    labels, titles = {}, {}
    # Outside the f-strings: Babel does not extract a call written inside one.
    others = _("other tables")
    for event_id, participant_id, table_id, number, name in rows:
        event = by_id[event_id]
        named = access.is_public_event(event) or (
            user is not None and access.may_review(user, event))
        titles[event_id] = event.title if named else _("A reference group")
        key = (event_id, table_id if event.kind == WORKSHOP else None)
        if key[1] is not None:
            labels[key] = f"{titles[event_id]} · {table_label({'number': number, 'name': name})}"
        elif event.kind == WORKSHOP:
            labels[key] = f"{titles[event_id]} · {others}"
        else:
            labels[key] = titles[event_id]
        members[key].add((event_id, participant_id))
    for key in [k for k in members if k[1] is not None and len(members[k]) < MIN_GROUP]:
        folded = (key[0], None)
        members[folded] |= members.pop(key)
        labels[folded] = f"{titles[key[0]]} · {others}"
    # Still too few: joined to the event's smallest table, since the event's own page shows its
    # totals and a left-out remainder would be their difference.
    for key in [k for k in members if k[1] is None and len(members[k]) < MIN_GROUP
                and by_id[k[0]].kind == WORKSHOP]:
        tables = sorted((k for k in members if k[0] == key[0] and k[1] is not None),
                        key=lambda k: (len(members[k]), k[1]))
        if tables:
            members[tables[0]] |= members.pop(key)
            labels[tables[0]] += f" + {others}"
    small = [k for k in members if len(members[k]) < MIN_GROUP]
    for key in small:
        members.pop(key)
    group_of = {person: key for key, people in members.items() for person in people}
    groups = {key: {"label": labels[key], "size": len(people)} for key, people in members.items()}
    return group_of, groups, len(small)


def _item(kind, item_id, title, url, area, event_ids, people, group_of, groups) -> dict | None:
    """An item's row: its support in every group that could vote on it, bridging and split."""
    counts = defaultdict(int)
    for person in people:
        if person in group_of:
            counts[group_of[person]] += 1
    cells = []
    for key in sorted((k for k in groups if k[0] in event_ids),
                      key=lambda k: (k[0], k[1] is None, k[1] or 0)):
        n, k = groups[key]["size"], counts.get(key, 0)
        low, high = wilson(k, n)
        cells.append({"label": groups[key]["label"], "supporters": k, "voters": n,
                      "share": k / n, "low": low, "high": high})
    if not cells:
        return None
    split = any(a["low"] > b["high"] for a in cells for b in cells)
    return {"kind": kind, "id": item_id, "title": title, "url": url, "focus_area": area,
            "bridging": min(c["low"] for c in cells), "split": split, "groups": cells}


def _budget_ballots(event_ids):
    """(measure id -> the events with it on their budget ballot, measure id -> the people who
    chose it there): a budget ballot is support for the measure itself."""
    on_ballot, chosen = defaultdict(set), defaultdict(set)
    if event_ids:
        for event_id, measure_id in db.session.execute(
                select(BallotMeasure.event_id, BallotMeasure.measure_id)
                .where(BallotMeasure.event_id.in_(event_ids))).all():
            on_ballot[measure_id].add(event_id)
        for event_id, participant_id, measure_id in db.session.execute(
                select(BudgetChoice.event_id, BudgetChoice.participant_id,
                       BudgetChoice.measure_id)
                .where(BudgetChoice.event_id.in_(event_ids))).all():
            chosen[measure_id].add((event_id, participant_id))
    return on_ballot, chosen


def agreement(user=None) -> dict:
    """The page's shape: focus areas, each with its measures and proposals by bridging score.
    `user`: a staff account (the review page), or None for the public."""
    staff = user is not None
    events = _events(user)
    group_of, groups, small = _groups(events, user)
    event_ids = {e.id for e in events}
    shown_events = {e.id for e in events
                    if access.is_public_event(e) or (staff and access.may_review(user, e))}
    proposals = db.session.execute(
        select(Proposal.id, Proposal.event_id, Proposal.title, FocusArea.name)
        .outerjoin(FocusArea, FocusArea.id == Proposal.focus_area_id)
        .where(Proposal.event_id.in_(event_ids), Proposal.status == "visible")).all() \
        if event_ids else []
    supporters = defaultdict(set)
    for pid, event_id, participant_id in db.session.execute(
            select(Vote.proposal_id, Vote.event_id, Vote.participant_id)
            .join(Event, Event.id == Vote.event_id)
            .where(Vote.event_id.in_(event_ids), is_support())).all() if event_ids else []:
        supporters[pid].add((event_id, participant_id))
    visible = {p.id: p for p in proposals}
    items = []
    for p in proposals:
        if p.event_id in shown_events:
            items.append(_item("proposal", p.id, p.title, None, p.name, {p.event_id},
                               supporters[p.id], group_of, groups))
    on_ballot, chosen = _budget_ballots(event_ids)
    measures = db.session.scalars(select(Measure).order_by(Measure.id)).all()
    links = supporting_proposals([m.id for m in measures]) if measures else {}
    for m in measures:
        linked = [visible[pid] for pid in links.get(m.id, ()) if pid in visible]
        people = set().union(chosen[m.id], *(supporters[p.id] for p in linked))
        items.append(_item("measure", m.id, m.title, measure_path(m.id), m.focus_area,
                           {p.event_id for p in linked} | on_ballot[m.id], people, group_of,
                           groups))
    areas = defaultdict(lambda: {"measures": [], "proposals": []})
    for item in filter(None, items):
        areas[item["focus_area"] or ""][item["kind"] + "s"].append(item)
    result = []
    for name in sorted(areas, key=lambda a: (a == "", a.casefold())):
        area = areas[name]
        for kind in ("measures", "proposals"):
            area[kind].sort(key=lambda i: (-i["bridging"], i["title"].casefold(), i["id"]))
        result.append({"name": name or None, "measures": area["measures"],
                       "proposals": area["proposals"][:PROPOSALS_PER_AREA],
                       "more_proposals": max(0, len(area["proposals"]) - PROPOSALS_PER_AREA)})
    return {"areas": result, "min_group": MIN_GROUP, "small_groups": small,
            "groups": len(groups), "staff": staff}
