"""The CSV downloads' dialect (docs/exports.md), for the staff pages and the REST API alike:
the `?dialect=` a download asks for, and the header row of each export in the excel-sv
dialect, a label per column. Standard CSV, XLSX and JSON keep the machine names, which are the
open data's field names. English msgids, Swedish in the catalogue."""

from flask import request
from flask_babel import lazy_gettext as _l

from ..activities.report import EXPORT_COLUMNS as ACTIVITY_COLUMNS
from ..backlog.queries import EXPORT_COLUMNS as MEASURE_COLUMNS
from ..budgets.queries import EXPORT_COLUMNS as OUTCOME_COLUMNS
from ..core import tabular
from ..core.errors import OperationError
from ..review.export import COLUMNS, PROPOSAL_COLUMNS, SCALE_COLUMNS, VOTE_COLUMNS


def requested_dialect() -> str:
    """?dialect=: standard CSV when none is named (what programs expect); the pages' buttons
    ask for excel-sv. Any other value is refused (400 naming the field), never a 500."""
    dialect = request.args.get("dialect") or "standard"
    if dialect not in tabular.DIALECTS:
        raise OperationError("invalid_dialect", _l("Choose standard or excel-sv."),
                             field="dialect")
    return dialect


# A column name means the same in every file, so one map serves them all; `id` is the one
# name whose thing differs (a proposal or a measure), so each file's map says which.
LABELS = {
    "event_id": _l("Event id"), "event_code": _l("Event code"), "event_kind": _l("Kind of event"),
    "voting_method": _l("Voting method"), "proposal_id": _l("Proposal id"),
    "title": _l("Title"), "body": _l("Text"), "lang": _l("Language"),
    "focus_area": _l("Focus area"),
    "table": _l("Table"), "source": _l("Source"), "created_at": _l("Created"),
    "rank": _l("Rank"), "fair_rank": _l("Fair rank"), "fair_score": _l("Fair score"),
    "fair_low": _l("Fair score, low"), "fair_high": _l("Fair score, high"),
    "norm_score": _l("Normalised score"), "norm_low": _l("Normalised score, low"),
    "norm_high": _l("Normalised score, high"), "voters": _l("Voters"),
    "supporters": _l("Supporters"), "tables_supported": _l("Tables supporting"),
    "review_status": _l("Review status"), "public_answer": _l("Public answer"),
    "link_kind": _l("Kind of link"), "measure_id": _l("Measure id"),
    "merged_from": _l("Merged from"),
    # Votes per proposal, and the event's results file.
    "phone_votes": _l("Phone votes"), "paper_votes": _l("Paper votes"), "dots": _l("Dots"),
    "ratings": _l("Ratings"), "mean": _l("Mean"), "votes": _l("Votes"), "status": _l("Status"),
    "score": _l("Score"),
    **{f"rated_{n}": _l("Rated %(n)d", n=n) for n in range(1, 6)},
    # Measures.
    "owner": _l("Owner"), "rejected_reason": _l("Reason for rejection"),
    "reduction_low_t": _l("Reduction, low (t CO2e a year)"),
    "reduction_high_t": _l("Reduction, high (t CO2e a year)"),
    "investment_sek": _l("Investment, SEK"), "yearly_cost_sek": _l("Yearly cost, SEK"),
    "annualised_cost_sek": _l("Yearly cost with the investment, SEK"),
    "sek_per_t": _l("SEK per tCO2e"), "sek_per_t_low": _l("SEK per tCO2e, low"),
    "sek_per_t_high": _l("SEK per tCO2e, high"), "supporters_phone": _l("Supporters by phone"),
    "hand_counts": _l("Hand counts"), "linked_proposals": _l("Linked proposals"),
    "events": _l("Events"), "tables": _l("Tables"),
    "support_voters": _l("Voters counted for the share"),
    "support_share": _l("Support, share of voters"),
    "support_low": _l("Support, low"), "support_high": _l("Support, high"),
    "time_frame": _l("Time frame"), "co_benefits": _l("Co-benefits"), "url": _l("Web address"),
    # A budget's outcome.
    "position": _l("Order"), "cost_sek": _l("Cost, SEK"),
    "equal_shares_funded": _l("Funded by Equal Shares"),
    "greedy_funded": _l("Funded by most votes"),
    # The evening's activities.
    "kind": _l("Kind"), "activity": _l("Activity"), "item": _l("Option, question, word or text"),
    "people": _l("People"), "average": _l("Mean"),
}


def _labels(columns, **named) -> dict:
    # A column without a label keeps its machine name rather than failing the download.
    return {c: named.get(c) or LABELS.get(c, c) for c in columns}


PROPOSALS = _labels(PROPOSAL_COLUMNS)
VOTES = _labels(VOTE_COLUMNS)
EVENT_RESULTS = _labels(dict.fromkeys(COLUMNS + SCALE_COLUMNS), id=_l("Proposal id"))
MEASURES = _labels(MEASURE_COLUMNS, id=_l("Measure id"))
BUDGET_OUTCOME = _labels(OUTCOME_COLUMNS)
ACTIVITIES = _labels(ACTIVITY_COLUMNS)
# Every export, by name: the test checks each column has a label of its own.
EXPORTS = {"proposals": (PROPOSAL_COLUMNS, PROPOSALS), "votes": (VOTE_COLUMNS, VOTES),
           "event_results": (COLUMNS + SCALE_COLUMNS, EVENT_RESULTS),
           "measures": (MEASURE_COLUMNS, MEASURES),
           "budget_outcome": (OUTCOME_COLUMNS, BUDGET_OUTCOME),
           "activities": (ACTIVITY_COLUMNS, ACTIVITIES)}
