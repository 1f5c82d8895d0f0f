"""Every shipped language has every message: Swedish (the default) and Finnish, Arabic,
Somali, Persian and Ukrainian (docs/languages.md). English is the source text itself.

The messages are extracted from the source at test time (the same mapping as `make
extract-messages`), so a new `_()` in code or a template fails here until it is translated in
every participation/translations/<lang>/LC_MESSAGES/messages.po. The catalogues waiting for a
native translator (Northern Sámi, Meänkieli) must hold every key, with no text yet.
"""

import os
import re
import tempfile
from pathlib import Path

import flask_babel
import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from participation.core.languages import (
    PENDING,
    REVIEW_STATES,
    SHIPPED,
    SOURCE,
    catalogue_path,
    review_state,
)

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "participation" / "translations"
SV_PO = TRANSLATIONS / "sv" / "LC_MESSAGES" / "messages.po"
SV_MO = SV_PO.with_suffix(".mo")
TRANSLATED = [lang for lang in SHIPPED if lang != SOURCE]

# The keywords `make extract-messages` uses (pybabel's defaults, _l, lazy_gettext, plural_noop),
# and the lazy plural for good measure.
KEYWORDS = {
    **DEFAULT_KEYWORDS,
    "_l": None,
    "lazy_gettext": None,
    "lazy_ngettext": (1, 2),
    "ngettext": (1, 2),
    "plural_noop": (1, 2),
}
# Directories that never hold our own source; skipping them keeps the walk fast.
SKIP_DIRS = {"node_modules", "static", "instance", "migrations", "build", "test-artifacts"}

PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?([diouxXeEfFgGcrsa])")


def _directory_filter(dirpath: str) -> bool:
    name = os.path.basename(dirpath)
    return not (name.startswith((".", "_")) or name in SKIP_DIRS or name.endswith(".egg-info"))


def _extracted() -> dict:
    """msgid (a string, or a (singular, plural) tuple) -> the places it occurs."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f, filename="babel.cfg")
    found: dict = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS,
        directory_filter=_directory_filter,
    ):
        key = message if isinstance(message, str) else tuple(message[:2])
        if not key or (isinstance(key, tuple) and not key[0]):
            continue
        found.setdefault(key, []).append(f"{filename}:{lineno}")
    return found


def _catalog(lang: str = "sv"):
    with open(catalogue_path(lang), "rb") as f:
        return read_po(f, locale=None if lang == "fit" else lang)


def _placeholders(text: str) -> list:
    """The named placeholders, e.g. ['%(n)d', '%(title)s'], sorted."""
    return sorted(f"%({name}){kind}" for name, kind in PLACEHOLDER.findall(text.replace("%%", "")))


def _format(key) -> str:
    return repr(key) if isinstance(key, str) else " / ".join(repr(k) for k in key)


@pytest.fixture(scope="module")
def extracted():
    found = _extracted()
    assert found, "no messages were extracted: check babel.cfg and the extraction keywords"
    return found


def test_catalog_header_is_swedish():
    catalog = _catalog()
    assert str(catalog.locale) == "sv"
    assert catalog.num_plurals == 2
    assert catalog.plural_expr.replace(" ", "") in ("(n!=1)", "n!=1")


@pytest.mark.parametrize("lang", TRANSLATED)
def test_catalogue_header_says_its_language_plurals_and_review_state(lang):
    catalog = _catalog(lang)
    assert str(catalog.locale) == lang
    # Babel writes CLDR's rule as the gettext expression; the browser's Intl.PluralRules
    # names the same categories (web/labels.py plural_samples).
    expected = Catalog(locale=lang)
    assert (catalog.num_plurals, catalog.plural_expr) == (expected.num_plurals,
                                                          expected.plural_expr)
    assert review_state(lang) in REVIEW_STATES and "# review-state:" in catalogue_path(
        lang).read_text(encoding="utf-8")[:2000]


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_has_a_translation(extracted, lang):
    catalog = _catalog(lang)
    problems = []
    for key, places in sorted(extracted.items(), key=lambda kv: _format(kv[0])):
        where = places[0] + (f" (+{len(places) - 1} more)" if len(places) > 1 else "")
        message = catalog.get(key[0] if isinstance(key, tuple) else key)
        if message is None:
            problems.append(f"missing from messages.po: {_format(key)}  [{where}]")
            continue
        if isinstance(key, tuple) and not message.pluralizable:
            problems.append(f"should be a plural entry in messages.po: {_format(key)}  [{where}]")
            continue
        if message.fuzzy:
            problems.append(f"marked fuzzy: {_format(key)}  [{where}]")
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        if isinstance(key, tuple) and len(strings) != catalog.num_plurals:
            problems.append(f"needs {catalog.num_plurals} plural forms: {_format(key)}  [{where}]")
        if not all(s and s.strip() for s in strings):
            problems.append(f"no {lang} translation: {_format(key)}  [{where}]")
            continue
        originals = list(key) if isinstance(key, tuple) else [key]
        for i, translated in enumerate(strings):
            original = originals[min(i, len(originals) - 1)]
            # A plural form for one (or two, Arabic's dual) may say the number in words.
            if isinstance(key, tuple) and set(_placeholders(translated)) < set(
                    _placeholders(key[1])):
                continue
            if _placeholders(original) != _placeholders(translated) and not (
                    isinstance(key, tuple)
                    and _placeholders(translated) == _placeholders(key[1])):
                problems.append(
                    f"placeholders differ: {original!r} has {_placeholders(original)}, "
                    f"{translated!r} has {_placeholders(translated)}  [{where}]"
                )
    assert not problems, (
        f"{len(problems)} user-facing string(s) lack a good {lang} translation "
        "(run `make extract-messages`, then translate in "
        f"participation/translations/{lang}/LC_MESSAGES/messages.po):\n  "
        + "\n  ".join(problems)
    )


@pytest.mark.parametrize("lang", PENDING)
def test_a_catalogue_for_a_native_translator_has_every_key_and_no_text(extracted, lang):
    """Northern Sámi and Meänkieli: ready for a translator, never machine-filled."""
    catalog = _catalog(lang)
    assert review_state(lang) == "empty"
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}
    wanted = {key if isinstance(key, str) else key[0] for key in extracted}
    assert wanted <= ids, f"missing keys: {sorted(wanted - ids)[:5]}"
    filled = [m.id for m in catalog if m.id and any(
        m.string if isinstance(m.string, tuple) else [m.string])]
    assert not filled, f"{lang} holds text nobody has checked: {filled[:3]}"


@pytest.mark.parametrize("lang", SHIPPED)
def test_every_shipped_language_has_its_privacy_notice_and_accessibility_statement(lang):
    for page in ("privacy/notice", "accessibility/statement"):
        assert (ROOT / "templates" / page / f"{lang}.html").exists(), (page, lang)


@pytest.fixture
def compiled_catalog():
    """`make test` compiles the catalog first; compile it here too if the .mo is stale."""
    if not SV_MO.exists() or SV_MO.stat().st_mtime < SV_PO.stat().st_mtime:
        catalog = _catalog()
        fd, tmp = tempfile.mkstemp(dir=SV_MO.parent, suffix=".mo.tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                write_mo(f, catalog, use_fuzzy=True)
            os.replace(tmp, SV_MO)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)


def _csrf_token(html: str) -> str:
    match = re.search(r'<meta name="csrf-token" content="([^"]+)"', html)
    assert match, "the page has no csrf-token meta tag"
    return match.group(1)


def test_home_page_is_swedish_by_default_and_english_on_request(compiled_catalog, client):
    page = client.get("/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<html lang="sv"' in html
    assert "Delta" in html
    assert "Gå med" in html
    assert "Take part" not in html

    switched = client.post("/lang/en", data={"csrf_token": _csrf_token(html)})
    assert switched.status_code in (302, 303)
    # The `app` fixture keeps one app context (and so one `g`) open for the whole test, and
    # Flask-Babel caches the locale in `g`; a real request gets a fresh context every time.
    flask_babel.refresh()

    html = client.get("/").get_data(as_text=True)
    assert '<html lang="en"' in html
    assert "Take part" in html
    assert "Delta" not in html
