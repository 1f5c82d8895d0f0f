import csv
import io

COLUMNS = ("rank", "id", "title", "body", "focus_area", "table", "source", "votes",
           "paper_votes", "dots", "status", "merged_from")
# A scale event's rows carry its ratings instead of hands and dots.
SCALE_COLUMNS = ("rank", "id", "title", "body", "focus_area", "table", "source", "ratings",
                 "mean", "score", "status", "merged_from")


def results_csv(event, rows: list[dict]) -> str:
    """Aggregates only: never who proposed or who voted. Excel opens UTF-8 with a BOM."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    columns = SCALE_COLUMNS if event.is_scale else COLUMNS
    writer.writerow(columns)
    for row in rows:
        # Merged sources are not ranked rows; their ids are listed on the proposal they joined.
        row = row | {"merged_from": " ".join(str(m["id"]) for m in row.get("merged_from", []))}
        writer.writerow([_cell(_blank_none(row.get(column, ""))) for column in columns])
    return buffer.getvalue()


def _cell(value):
    # A title like "=HYPERLINK(...)" must stay text when a reviewer opens the file in Excel.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _blank_none(value):
    return "" if value is None else value


# Open data: proposals across events with rank, fair score and what became of them. Never an
# author's name, a participant token, a follow code or a single vote.
PROPOSAL_COLUMNS = (
    "event_id", "event_code", "event_kind", "voting_method", "proposal_id", "title", "body",
    "focus_area", "table", "source", "created_at", "rank", "fair_rank", "fair_score",
    "fair_low", "fair_high", "norm_score", "norm_low", "norm_high", "voters", "supporters",
    "tables_supported", "review_status", "public_answer", "link_kind", "measure_id",
    "merged_from",
)
# Aggregated votes per proposal: counts and the distribution of ratings, no ballots.
VOTE_COLUMNS = (
    "event_id", "proposal_id", "voting_method", "voters", "supporters", "phone_votes",
    "paper_votes", "dots", "ratings", "mean", "rated_1", "rated_2", "rated_3", "rated_4",
    "rated_5",
)
