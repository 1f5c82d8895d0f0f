"""A word cloud (docs/activities.md): each person sends up to three short words ("Vad tar du med
dig från i kväll?"), a new send replacing the earlier one. The cloud groups them by their
Swedish stems (TextBlob with our tokenizer and Snowball, proposals/similarity.py), so "cykel",
"cyklar" and "Cykeln" are one word; stop words count for nothing. A moderator takes a word out
of the cloud (every spelling with its stem, also later ones); only staff see it then.
"""

from collections import Counter
from typing import Annotated, NotRequired

from flask_babel import lazy_gettext as _l
from pydantic import Field
from sqlalchemy import delete, insert, select
from typing_extensions import TypedDict

from ..core import receipts
from ..core.bus import publish
from ..core.declare import Version, request
from ..core.errors import OperationError, not_found
from ..core.tx import write_transaction
from ..core.validate import Id, clean_text, is_id
from ..events.operations import moderated_event
from ..extensions import db
from ..participants.operations import require_joined
from ..proposals.operations import ClientId, Replayed, checked_client_id, replayable
from ..proposals.similarity import content_words, stem
from .models import STEM_MAX, WORD_MAX, WORDS_PER_PERSON, Activity, CloudWord, HiddenStem
from .plan import ActivityShape, activity_shape
from .writes import live_activity_write

KIND = "cloud_words"  # the receipts' kind
CLOUD_MAX = 60  # the words a screen shows, most people first
_words = CloudWord.__table__


@request
class WordsResponse(TypedDict):
    words: Annotated[list[Annotated[str, Field(min_length=1, max_length=WORD_MAX)]], Field(
        min_length=1, max_length=WORDS_PER_PERSON, description=(
            "One to three short words; they replace this person's earlier ones."))]
    client_id: ClientId


@request
class HideWord(TypedDict):
    stem: Annotated[str, Field(min_length=1, max_length=STEM_MAX, description=(
        "The word's `stem` in the cloud."))]
    hidden: Annotated[bool, Field(description="true: out of the cloud; false: back in it.")]


class WordsSent(TypedDict):
    activity_id: Id
    version: Version
    words: Annotated[list[str], Field(description="This person's words as kept.")]
    replayed: NotRequired[Replayed]


class CloudEntry(TypedDict):
    stem: Annotated[str, Field(description="What the spellings share; the key to hide it by.")]
    word: Annotated[str, Field(description="The spelling most people used, lower case.")]
    people: Annotated[int, Field(ge=1)]
    hidden: NotRequired[Annotated[bool, Field(description="Staff only: taken out.")]]


class Cloud(TypedDict):
    activity_id: Id
    title: str
    people: Annotated[int, Field(ge=0, description="People who sent words.")]
    words: Annotated[list[CloudEntry], Field(description=(
        f"Most people first, at most {CLOUD_MAX}; the public never gets hidden ones."))]


class LiveCloud(Cloud):
    mine: Annotated[list[str], Field(description="This person's words; [] for staff.")]


def _stem_of(word: str) -> str:
    """The content words' stems, in order; "" when the word is only stop words."""
    return " ".join(stem(w) for w in content_words(word))[:STEM_MAX]


def _checked(words) -> list[tuple[str, str]]:
    if isinstance(words, str):
        words = [words]
    if not isinstance(words, list | tuple) or not 1 <= len(words) <= WORDS_PER_PERSON:
        raise OperationError("invalid_words", _l(
            "Send one to %(n)d words.", n=WORDS_PER_PERSON), field="words")
    kept, stems = [], set()
    for value in words:
        if isinstance(value, str) and not value.strip() and len(words) > 1:
            continue  # an empty box of the form's three
        word = clean_text(value, "words", WORD_MAX, multiline=False)
        key = _stem_of(word)
        if key and key not in stems:  # one's own repeat counts once
            stems.add(key)
            kept.append((word, key))
    if not kept:
        raise OperationError("no_words", _l(
            "Write a word that says something: small words such as 'och' or 'att' do not "
            "count."), field="words")
    return kept


@replayable
def send_words(activity_id, token, words, client_id) -> WordsSent:
    require_joined(token)
    client_id = checked_client_id(client_id)
    kept = _checked(words)
    with write_transaction() as session:
        event, version, participant, activity = live_activity_write(
            session, activity_id, token, client_id, KIND, "words")
        session.execute(delete(_words).where(_words.c.activity_id == activity.id,
                                             _words.c.participant_id == participant.id))
        session.execute(insert(_words), [
            {"activity_id": activity.id, "participant_id": participant.id, "position": n,
             "word": word, "stem": key} for n, (word, key) in enumerate(kept)])
        result = {"activity_id": activity.id, "version": version,
                  "words": [word for word, _key in kept]}
        receipts.store(session, participant.id, client_id, KIND, result)
        event_id = event.id
    publish("cloud.changed", event_id, version)
    return result


def cloud(shape: ActivityShape, *, staff: bool = False) -> Cloud:
    """The cloud from the stored words: people per stem, the commonest spelling as its label."""
    hidden = set(db.session.scalars(select(HiddenStem.stem)
                                    .where(HiddenStem.activity_id == shape["id"])))
    people: dict[str, set[int]] = {}
    spellings: dict[str, Counter] = {}
    everyone = set()
    # A hidden one-word stem also hides the phrases that hold it ("dum idiot" with "idiot").
    single = {h for h in hidden if " " not in h}

    def is_hidden(key: str) -> bool:
        return key in hidden or any(part in single for part in key.split())

    for participant, word, key in db.session.execute(
            select(CloudWord.participant_id, CloudWord.word, CloudWord.stem)
            .where(CloudWord.activity_id == shape["id"])):
        everyone.add(participant)
        if not staff and is_hidden(key):
            continue
        people.setdefault(key, set()).add(participant)
        spellings.setdefault(key, Counter())[word.casefold()] += 1
    entries = []
    for key, who in people.items():
        # The commonest spelling; a tie goes to the alphabetically first, so it is stable.
        word = min(spellings[key].items(), key=lambda item: (-item[1], item[0]))[0]
        entry = {"stem": key, "word": word, "people": len(who)}
        if staff:
            entry["hidden"] = is_hidden(key)
        entries.append(entry)
    entries.sort(key=lambda e: (-e["people"], e["word"]))
    return {"activity_id": shape["id"], "title": shape["title"], "people": len(everyone),
            "words": entries[:CLOUD_MAX]}


def live_cloud(shape: ActivityShape | None, participant_id: int | None, *,
               staff: bool = False) -> LiveCloud | None:
    if shape is None or shape["kind"] != "words":
        return None
    mine = [] if staff or participant_id is None else list(db.session.scalars(
        select(CloudWord.word).where(CloudWord.activity_id == shape["id"],
                                     CloudWord.participant_id == participant_id)
        .order_by(CloudWord.position)))
    return cloud(shape, staff=staff) | {"mine": mine}


def hide_word(user, activity_id, stem_key, hidden) -> Cloud:
    """Take a word out of the cloud (or put it back): for the event's moderators."""
    if not isinstance(hidden, bool):
        raise OperationError("invalid_flag", _l("Choose yes or no."), field="hidden")
    if not isinstance(stem_key, str) or not 1 <= len(stem_key) <= STEM_MAX:
        raise OperationError("invalid_stem", _l("Choose a word of the cloud."), field="stem")
    if not is_id(activity_id):
        raise not_found("activity_not_found")
    activity = db.session.get(Activity, activity_id)
    if activity is None or activity.kind != "words":
        raise not_found("activity_not_found")
    event_id = activity.event_id
    with write_transaction() as session:
        _event, version = moderated_event(session, user, event_id, open_only=True)
        session.execute(delete(HiddenStem).where(HiddenStem.activity_id == activity_id,
                                                 HiddenStem.stem == stem_key))
        if hidden:
            session.add(HiddenStem(activity_id=activity_id, stem=stem_key))
        session.flush()
        result = cloud(activity_shape(session.get(Activity, activity_id)), staff=True)
    publish("cloud.changed", event_id, version)
    return result
