"""The language a proposal is written in: said by its writer, else detected, else the
writer's interface language (docs/duplicates.md says what each language gets from it).

Detection is langdetect's (its profiles ship in the package: nothing is downloaded), held to
the shipped languages by its prior map: Swedish weighs most (the cities' own language), the
writer's interface language next. Short texts say too little ("Gratis buss" is Swedish,
English or Somali), so under `SHORT_LETTERS` letters only the writing system counts.
"""

from __future__ import annotations

import re
import threading
import unicodedata

from flask_babel import lazy_gettext as _l

from ..core.errors import OperationError
from ..core.languages import DEFAULT, SHIPPED

SHORT_LETTERS = 15
SURE = 0.8
_PRIOR = {"sv": 0.3}
_PRIOR_OTHER = 0.1
_PRIOR_HINT = 0.3
# What a lang attribute may say: a primary language subtag (BCP 47), nothing more.
_CODE = re.compile(r"[a-z]{2,3}")
# Letters only Persian writes among the Arabic-script languages we ship.
_PERSIAN = frozenset("پچژگ")
_SCRIPTS = {"ARABIC": ("ar", "fa"), "CYRILLIC": ("uk",), "LATIN": ("sv", "en", "fi", "so")}

_factory = None
_factory_lock = threading.Lock()


def _detector_factory():
    global _factory
    if _factory is None:
        with _factory_lock:
            if _factory is None:
                from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

                factory = DetectorFactory()
                factory.load_profile(PROFILES_DIRECTORY)
                factory.set_seed(0)  # the same text always gets the same answer
                _factory = factory
    return _factory


def checked(lang) -> str | None:
    """A language a client says the text is in: a 2–3 letter code, or None when left out."""
    if lang in (None, ""):
        return None
    if not isinstance(lang, str) or not _CODE.fullmatch(lang):
        raise OperationError("invalid_language",
                             _l("Give the language as a two- or three-letter code."),
                             field="lang")
    return lang


def _script(text: str) -> str | None:
    """The writing system most of the letters are in (ARABIC, CYRILLIC, LATIN), or None."""
    counts: dict[str, int] = {}
    for char in text:
        if char.isalpha():
            name = unicodedata.name(char, "").split(" ", 1)[0]
            counts[name] = counts.get(name, 0) + 1
    return max(counts, key=counts.get) if counts else None


def _by_script(text: str, hint: str) -> str:
    script = _script(text)
    candidates = _SCRIPTS.get(script)
    if not candidates:
        return hint
    if hint in candidates:
        return hint
    if script == "ARABIC":
        return "fa" if _PERSIAN & set(text) else "ar"
    return candidates[0]


def detect(title: str, body: str | None, hint: str | None) -> str:
    """The shipped language `title` and `body` are most likely in; `hint` is the writer's
    interface language (Swedish when unknown)."""
    hint = hint if hint in SHIPPED else DEFAULT
    text = f"{title}\n{body or ''}"
    if sum(char.isalpha() for char in text) < SHORT_LETTERS:
        return _by_script(text, hint)
    factory = _detector_factory()
    detector = factory.create()
    prior = dict.fromkeys(factory.get_lang_list(), 0.0)
    for lang in SHIPPED:
        prior[lang] = _PRIOR.get(lang, _PRIOR_OTHER)
    prior[hint] += _PRIOR_HINT
    detector.set_prior_map(prior)
    detector.append(text)
    try:
        best = detector.get_probabilities()[0]
    except Exception:  # langdetect's LangDetectException: no features in the text
        return _by_script(text, hint)
    return best.lang if best.prob >= SURE and best.lang in SHIPPED else _by_script(text, hint)
