"""The live activity's part of a viewer's state (docs/activities.md): one key for the one live
activity, shaped for that viewer. The phone's first paint, the socket snapshot, the console and
the projector all take it from here.

- "poll": the quick poll, the person's answer, the bars where they may see them;
- "panel": the questions to the panel that this viewer may see, and what they like;
- "evaluation": the form and the person's answer (staff: the results);
- "cloud": the word cloud (staff: hidden words too, marked) and the person's words.
"""

from typing import Annotated, NotRequired

from pydantic import Field
from typing_extensions import TypedDict

from .. import access
from .evaluation import LiveEvaluation, live_evaluation
from .panel import LivePanel, live_panel
from .plan import ActivityShape
from .poll import LivePoll, live_poll
from .words import LiveCloud, live_cloud


class LiveParts(TypedDict):
    poll: NotRequired[Annotated[LivePoll, Field(description=(
        "The live quick poll; absent unless a poll is live."))]]
    panel: NotRequired[Annotated[LivePanel, Field(description=(
        "The live questions to the panel; absent unless they are live."))]]
    evaluation: NotRequired[Annotated[LiveEvaluation, Field(description=(
        "The live evaluation; absent unless it is live."))]]
    cloud: NotRequired[Annotated[LiveCloud, Field(description=(
        "The live word cloud; absent unless it is live."))]]


# The state's key for each kind ("questions" would clash with the event's question cards).
KEYS = {"questions": "panel", "words": "cloud"}


def live_parts(shape: ActivityShape | None, viewer: access.Viewer) -> LiveParts:
    """`shape` is plan.live_shape(event_id): None or the proposal flow give {}."""
    if shape is None:
        return {}
    staff = viewer.is_staff
    built = {
        "poll": lambda: live_poll(shape, viewer.participant_id, staff=staff),
        "questions": lambda: live_panel(shape, viewer),
        "evaluation": lambda: live_evaluation(shape, viewer.participant_id, staff=staff),
        "words": lambda: live_cloud(shape, viewer.participant_id, staff=staff),
    }
    kind = shape["kind"]
    if kind not in built:
        return {}
    return {KEYS.get(kind, kind): built[kind]()}
