"""The evening's activities in the event's report (docs/activities.md): each activity of the
plan but the proposal flow with its results as staff see them, on the review page and as a
file (CSV, Excel, JSON). The evaluation is here and on the console only: anonymous, its texts
in alphabetical order, never who wrote what."""

from typing import Annotated

from pydantic import Field
from typing_extensions import TypedDict

from . import evaluation, panel, poll, words
from .plan import ActivityShape, plan

BUILDERS = {
    "poll": poll.results,
    "questions": panel.results,
    "evaluation": evaluation.results,
    "words": lambda shape: words.cloud(shape, staff=True),
}


class ReportedActivity(TypedDict):
    activity: ActivityShape
    results: dict


class ActivityRow(TypedDict):
    """A line of the file: one option, question, word, statement or comment."""

    position: Annotated[int, Field(description="The activity's place in the plan.")]
    kind: str
    activity: Annotated[str, Field(description="The activity's title.")]
    item: Annotated[str, Field(description="The option, question, word, statement or comment.")]
    people: Annotated[int | None, Field(description=(
        "People who chose it, liked it, sent it or rated it."))]
    average: Annotated[float | None, Field(description="A statement's average, 1 to 5.")]
    status: Annotated[str, Field(description="A question's status; 'comment' for a comment.")]


EXPORT_COLUMNS = tuple(ActivityRow.__annotations__)


def report(event_id: int) -> list[ReportedActivity]:
    return [{"activity": shape, "results": BUILDERS[shape["kind"]](shape)}
            for shape in plan(event_id) if shape["kind"] in BUILDERS]


def _items(kind: str, results: dict):
    if kind == "poll":
        return [(o["text"], o["people"], None, "") for o in results["options"]]
    if kind == "questions":
        return [(q["text"], q["likes"], None, q["status"]) for q in results["questions"]]
    if kind == "words":
        return [(w["word"], w["people"], None, "hidden" if w.get("hidden") else "")
                for w in results["words"]]
    return [(r["question"], r["answers"], r["average"], "") for r in results["ratings"]] + [
        (text, None, None, "comment") for text in results["texts"]]


def export_rows(found: list[ReportedActivity]) -> list[ActivityRow]:
    return [{"position": a["activity"]["position"], "kind": a["activity"]["kind"],
             "activity": a["activity"]["title"], "item": item, "people": people,
             "average": average, "status": status}
            for a in found
            for item, people, average, status in _items(a["activity"]["kind"], a["results"])]
