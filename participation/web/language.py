"""Which language a page speaks, and the menu that changes it (docs/languages.md).

The rules, in order:
1. A person's own choice (the language menu, kept in their cookie for the session's 30 days),
   when the page offers it: an event's phone pages offer that event's languages, every other
   page offers every shipped language.
2. No choice made yet: on an event that allows it (and on pages outside events), the phone's
   own language setting (`Accept-Language`) picks among the offered languages.
3. Swedish.
The projector speaks the event's projector language whoever is signed in on it
(live/projector), and mail the language its reader chose.
"""

from babel import support
from flask import has_request_context, request, session
from flask.globals import _cv_app
from flask_babel import get_locale, get_translations
from markupsafe import Markup
from wtforms.i18n import messages_path

from ..core.languages import DEFAULT, OWN_NAMES, SHIPPED, direction, parse_list, supported
from ..events.languages import text_in
from ..events.operations import event_by_code

_EVENT_PAGES = "/j/"


def event_of_path(path: str):
    """The event whose phone pages `path` is one of (/j/<code>/…), or None."""
    if not path.startswith(_EVENT_PAGES):
        return None
    code = path[len(_EVENT_PAGES):].split("/", 1)[0].split("?", 1)[0]
    return event_by_code(code) if code else None


def page_event():
    """This request's event (see event_of_path); looked up once per request, for the
    language and for the phone's own views (kept on the request, not on `g`, which a test's
    app context shares)."""
    if not hasattr(request, "page_event"):
        request.page_event = event_of_path(request.path)
    return request.page_event


def offered_languages(event=None) -> tuple[str, ...]:
    if event is None and has_request_context():
        event = page_event()
    return parse_list(event.languages) if event is not None else SHIPPED


def select_locale() -> str:
    # Outside a request (CLI, background pushes, mail) the default language is Swedish; mail
    # is written in the language its subscriber chose (web/mail_outbox.py).
    if not has_request_context():
        return DEFAULT
    offered = offered_languages()
    choice = supported(session.get("lang"))
    if choice is not None:
        return choice if choice in offered else DEFAULT
    event = page_event()
    if event is not None and not event.browser_language:
        return DEFAULT
    return request.accept_languages.best_match(offered) or DEFAULT


def choose(lang) -> bool:
    """Keep a person's choice; False (and nothing kept) for anything not shipped."""
    if supported(lang) is None:
        return False
    session["lang"] = lang  # the session cookie is permanent: it stays on the phone
    return True


def menu(current: str, event=None) -> list[dict]:
    """The language menu's entries: each language in its own name and direction."""
    return [{"code": code, "name": OWN_NAMES[code], "dir": direction(code),
             "selected": code == current} for code in offered_languages(event)]


def in_language(event: dict, key: str) -> str:
    """An event shape's title or prompt in the page's language, else the Swedish one."""
    return text_in(event, str(get_locale() or DEFAULT), key)


def text_attrs(item) -> Markup:
    """` dir="auto" lang="…"` for what a person wrote (a proposal, a merged text): shown in its
    own direction and language inside a page of another (docs/languages.md)."""
    lang = item.get("lang") if isinstance(item, dict) else None
    return Markup(' dir="auto"') + (Markup(' lang="%s"') % lang if lang else "")


def page_translations():
    """Flask-Babel's translations for this request, found once per locale: a template asks
    for one a dozen times per proposal card, and each of Flask-Babel's own lookups goes
    through several context proxies (a quarter of a phone page's render time). Keyed by
    the locale object Flask-Babel keeps on `g`, so `force_locale` (the projector) gets its
    own language and the page's again after it."""
    app_context = _cv_app.get(None)
    babel = app_context.g.__dict__.get("_flask_babel") if app_context is not None else None
    if babel is not None:
        locale, cached = babel.__dict__.get("babel_locale"), babel.__dict__.get(_CACHED)
        if cached is not None and locale is not None and cached[0] is locale:
            return cached[1]
    translations = get_translations()
    babel = app_context.g.__dict__.get("_flask_babel") if app_context is not None else None
    if babel is not None:
        setattr(babel, _CACHED, (babel.__dict__.get("babel_locale"), translations))
    return translations


_CACHED = "participation_translations"


class _FormTranslations:
    """WTForms' own messages in the request's language. Flask-WTF reads its catalogue from
    disk once per request (request.wtforms_translations); this keeps one per language and
    process, and asks for the language when a message is wanted."""

    _loaded: dict[str, support.Translations] = {}

    def _for_locale(self):
        locale = str(get_locale())
        translations = self._loaded.get(locale)
        if translations is None:
            translations = self._loaded[locale] = support.Translations.load(
                messages_path(), [locale], domain="wtforms")
        return translations

    def ugettext(self, string):
        return self._for_locale().ugettext(string)

    def ungettext(self, singular, plural, n):
        return self._for_locale().ungettext(singular, plural, n)


_FORM_TRANSLATIONS = _FormTranslations()


def register(app) -> None:
    app.jinja_env.filters["in_language"] = in_language
    app.jinja_env.filters["text_attrs"] = text_attrs

    @app.before_request
    def _form_translations():
        request.wtforms_translations = _FORM_TRANSLATIONS  # read by flask_wtf/i18n.py

    # As Flask-Babel installs them (newstyle), through page_translations.
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: page_translations().ugettext(s),
        ngettext=lambda s, p, n: page_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: page_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: page_translations().unpgettext(c, s, p, n),
    )

    @app.context_processor
    def _language():
        current = str(get_locale() or DEFAULT)
        return {"page_dir": direction(current), "language_menu": menu(current),
                "own_language_names": OWN_NAMES, "shipped_languages": SHIPPED}
