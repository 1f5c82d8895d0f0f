"""The languages of the room: which ones ship, how each is written and how far it is checked.

The interface's source texts are English (the msgids); every other language is a catalogue in
participation/translations/<code>/LC_MESSAGES/messages.po. A catalogue says how far it has been
checked on a header comment line of its own, `# review-state: <state>`, so the state travels
with the file a translator edits (docs/languages.md). No request code here: the choice of a
person's language is web/language.py's.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

CATALOGUES = Path(__file__).resolve().parent.parent / "translations"

# Offered in the language menu, in this order: Swedish first, then as the cities' own lists
# of service languages put them. Each is named in itself (a reader looks for their own word).
SHIPPED = ("sv", "en", "fi", "ar", "so", "fa", "uk")
OWN_NAMES = {
    "sv": "Svenska", "en": "English", "fi": "Suomi", "ar": "العربية", "so": "Soomaali",
    "fa": "فارسی", "uk": "Українська",
    # Ready for a native translator (complete keys, empty strings), not offered yet.
    "se": "Davvisámegiella", "fit": "Meänkieli",
}
PENDING = ("se", "fit")
RIGHT_TO_LEFT = frozenset({"ar", "fa"})
DEFAULT = "sv"
# The source texts themselves: no catalogue, written by the team.
SOURCE = "en"

ReviewState = Literal["source", "reviewed", "not_reviewed", "empty"]
REVIEW_STATES = ("source", "reviewed", "not_reviewed", "empty")
_STATE_LINE = re.compile(r"^#\s*review-state:\s*([a-z_]+)\s*$", re.MULTILINE)


def direction(lang: str) -> Literal["rtl", "ltr"]:
    return "rtl" if lang in RIGHT_TO_LEFT else "ltr"


def catalogue_path(lang: str) -> Path:
    return CATALOGUES / lang / "LC_MESSAGES" / "messages.po"


@lru_cache(maxsize=16)
def review_state(lang: str) -> ReviewState:
    """What the catalogue's own header says; English is the source text itself."""
    if lang == SOURCE:
        return "source"
    path = catalogue_path(lang)
    if not path.exists():
        return "empty"
    head = path.read_text(encoding="utf-8")[:2000]
    found = _STATE_LINE.search(head)
    state = found.group(1) if found else "not_reviewed"
    return state if state in REVIEW_STATES else "not_reviewed"


@lru_cache(maxsize=16)
def completeness(lang: str) -> tuple[int, int]:
    """(messages translated, messages) in the catalogue; English is complete by definition."""
    from babel.messages.pofile import read_po

    path = catalogue_path(lang)
    if lang == SOURCE or not path.exists():
        return (0, 0) if lang != SOURCE else (1, 1)
    with open(path, "rb") as f:
        catalogue = read_po(f)
    messages = [m for m in catalogue if m.id]
    done = sum(1 for m in messages
               if (all(m.string) if isinstance(m.string, tuple) else bool(m.string)))
    return done, len(messages)


def supported(value) -> str | None:
    """`value` if it is a shipped language's code, else None (never trusts what it is given)."""
    return value if isinstance(value, str) and value in SHIPPED else None


def parse_list(value: str | None) -> tuple[str, ...]:
    """A stored comma list of codes, shipped ones only, in the menu's order; Swedish always."""
    chosen = set((value or "").split(","))
    return tuple(lang for lang in SHIPPED if lang in chosen or lang == DEFAULT)
