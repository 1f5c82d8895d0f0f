"""An event's languages: which ones the phones offer, which one the projector speaks, and the
title and question in more than one language (docs/languages.md).

The event's own `title` and `prompt` are its Swedish (default) texts; `texts` holds the others,
each shown to a person reading in that language, the Swedish ones otherwise.
"""

from typing import Annotated, Literal, NotRequired

from flask_babel import lazy_gettext as _l
from pydantic import Field
from typing_extensions import TypedDict

from ..core.bus import publish
from ..core.declare import request
from ..core.errors import OperationError
from ..core.languages import DEFAULT, SHIPPED, parse_list
from ..core.tx import write_transaction
from ..core.validate import clean_text
from .models import Event
from .operations import PROMPT_MAX, TITLE_MAX, managed_event

Language = Literal[SHIPPED]


class EventText(TypedDict):
    title: Annotated[str, Field(max_length=TITLE_MAX, description="Blank: the Swedish title.")]
    prompt: Annotated[str, Field(max_length=PROMPT_MAX,
                                 description="Blank: the Swedish question.")]


class LanguagesInfo(TypedDict):
    languages: Annotated[list[Language], Field(description=(
        "What the phones' language menu offers, Swedish always among them."))]
    projector_language: Annotated[Language, Field(description="What the projector speaks.")]
    browser_language: Annotated[bool, Field(description=(
        "On a phone's first visit, before any choice, its own language setting "
        "(Accept-Language) picks among `languages`; off: Swedish."))]
    texts: Annotated[dict[Language, EventText], Field(description=(
        "The title and question in other languages; Swedish is `title`/`prompt`."))]


@request
class LanguagesChange(TypedDict):
    languages: Annotated[list[Language], Field(max_length=len(SHIPPED), description=(
        "Languages the phones offer; Swedish is added when left out."))]
    projector_language: NotRequired[Annotated[Language, Field(description=(
        "One of `languages`. Left out: Swedish."))]]
    browser_language: NotRequired[Annotated[bool, Field(description="Left out: true.")]]
    texts: NotRequired[Annotated[dict[Language, EventText], Field(description=(
        "Title and question per language (not sv); both blank drops the language."))]]


def languages_info(event) -> LanguagesInfo:
    return {"languages": list(parse_list(event.languages)),
            "projector_language": event.projector_language,
            "browser_language": event.browser_language,
            "texts": dict(event.texts or {})}


def clean_languages(languages) -> tuple[str, ...]:
    if not isinstance(languages, list | tuple) or len(languages) > len(SHIPPED) or any(
            not isinstance(lang, str) or lang not in SHIPPED for lang in languages):
        raise OperationError("invalid_language",
                             _l("Choose languages from the list."), field="languages")
    return parse_list(",".join(languages))


def clean_texts(texts) -> dict[str, EventText]:
    """{lang: {"title", "prompt"}} with both checked as the Swedish ones are; blank pairs go."""
    if texts is None:
        return {}
    if not isinstance(texts, dict) or len(texts) > len(SHIPPED):
        raise OperationError("invalid_texts", _l("Send the texts per language."), field="texts")
    cleaned = {}
    for lang, pair in texts.items():
        if lang not in SHIPPED or lang == DEFAULT:
            raise OperationError("invalid_language", _l("Choose languages from the list."),
                                 field="texts")
        if not isinstance(pair, dict) or set(pair) - {"title", "prompt"}:
            raise OperationError("invalid_texts", _l("Send the texts per language."),
                                 field="texts")
        title = clean_text(pair.get("title"), f"title_{lang}", TITLE_MAX, required=False,
                           multiline=False)
        prompt = clean_text(pair.get("prompt"), f"prompt_{lang}", PROMPT_MAX, required=False)
        if title or prompt:
            cleaned[lang] = {"title": title, "prompt": prompt}
    return cleaned


def set_languages(user, event_id: int, languages, projector_language=DEFAULT,
                  browser_language=True, texts=None) -> Event:
    """Set what the phones offer, what the projector speaks, and the title and question in
    other languages. Refused whole when any part is wrong: nothing half-stored."""
    offered = clean_languages(languages)
    if projector_language not in offered:
        raise OperationError(
            "invalid_language",
            _l("The projector's language must be one the phones offer."),
            field="projector_language")
    if not isinstance(browser_language, bool):
        raise OperationError("invalid_type", _l("Choose yes or no."), field="browser_language")
    cleaned = clean_texts(texts)
    with write_transaction() as session:
        event, version = managed_event(session, user, event_id)
        event.languages = ",".join(offered)
        event.projector_language = projector_language
        event.browser_language = browser_language
        event.texts = cleaned or None
        session.flush()
        payload = languages_info(event)
    publish("event.languages", event.id, version, **payload)
    return event


def text_in(event: dict, lang: str, key: str) -> str:
    """The event shape's title or prompt (`key`) in `lang`, else the Swedish one."""
    return ((event.get("texts") or {}).get(lang) or {}).get(key) or event[key]
