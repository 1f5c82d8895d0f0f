"""clean_text and clean_name: what a person typed is stored as typed (NFC), blank when nothing
in it can be seen, and refused when it holds characters that break, hide or reorder text."""

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from participation.core.errors import OperationError
from participation.core.validate import MARKS_MAX, clean_name, clean_text


def code(value, **kwargs) -> str:
    try:
        clean_text(value, "f", kwargs.pop("maximum", 200), **kwargs)
    except OperationError as error:
        assert error.field == "f"
        return error.code
    return "ok"


BLANK = {
    "empty": "",
    "spaces": "   \n\t ",
    "no-break-spaces": "\u00a0\u2003\u3000\u202f\u205f\u1680",
    "line-separators": "\u2028\u2029",
    "zero-width": "\u200b\u200c\u200d",
    "word-joiner-bom": "\u2060\ufeff",
    "hangul-fillers": "\u3164\u115f\u1160\uffa0",
    "braille-blank": "\u2800\u2800",
    "lone-marks": "\u0301\u0336\u20dd",
    "variation-selector": "\ufe0f",
    "bidi-only": "\u202e\u2066\u2069",
    "soft-hyphen-lrm": "\u00ad\u200e\u200f\u061c",
    "tags-only": "\U000e0041\U000e007f",
    "mixed": " \u200b\u3164\u2800 \u0301\u00a0",
}


@pytest.mark.parametrize("value", BLANK.values(), ids=BLANK.keys())
def test_nothing_visible_is_required_or_empty(value):
    for multiline in (True, False):
        assert code(value, multiline=multiline) == "required"
        assert clean_text(value, "f", 200, required=False, multiline=multiline) == ""
    assert clean_name(value, "display_name", 60) == ""


BROKEN = {
    "nul": "\x00",
    "nul-in-text": "Tåg\x00",
    "escape": "Buss\x1b[31m",
    "delete": "a\x7f",
    "c1-nel": "a\x85b",
    "c1-csi": "a\x9bb",
    "vertical-tab": "a\x0bb",
    "form-feed": "a\x0cb",
    "file-separator": "a\x1cb",
    "lone-surrogate": "\udfff",
    "noncharacter": "a\ufffe",
    "plane-noncharacter": "a\U0010ffff",
}


@pytest.mark.parametrize("value", BROKEN.values(), ids=BROKEN.keys())
def test_controls_and_broken_characters_are_refused_even_alone(value):
    for required in (True, False):
        for multiline in (True, False):
            assert code(value, required=required, multiline=multiline) == "invalid_characters"


HIDING = {
    "rtl-override": "Buss \u202egnin\u202c till jobbet",
    "ltr-override": "a\u202db",
    "embedding": "a\u202ab\u202c",
    "isolate": "a\u2067b\u2069",
    "first-strong-isolate": "\u2068Anna\u2069",
    "zero-width-space": "Cykel\u200bbana",
    "word-joiner": "Cykel\u2060bana",
    "bom-first": "\ufeffHej",
    "invisible-times": "a\u2062b",
    "deprecated-shaping": "a\u206bb",
    "annotation": "a\ufff9b\ufffac\ufffb",
    "ascii-smuggling-tags": "Hej\U000e0069\U000e0067\U000e006e",
    "language-tag": "\U000e0001Hej",
}


@pytest.mark.parametrize("value", HIDING.values(), ids=HIDING.keys())
def test_characters_that_hide_or_reorder_text_are_refused(value):
    for required in (True, False):
        assert code(value, required=required) == "invalid_characters"
        assert code(value, required=required, multiline=False) == "invalid_characters"


KEPT = {
    "emoji-family": "Familj 👩\u200d👩\u200d👧\u200d👦",
    "emoji-presentation": "Kärlek ❤\ufe0f",
    "keycap": "1\ufe0f\u20e3",
    "skin-tone": "👋🏽",
    "flag": "Sverige 🇸🇪",
    "england-flag": "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f",
    "persian-zwnj": "می\u200cخواهم",
    "hebrew-with-rlm": "שלום\u200f!",
    "soft-hyphen": "cykel\u00adbana",
    "arabic-number-sign": "\u0600١٢",
    "vietnamese": "Tiếng Việt",
    "devanagari": "स्त्री",
    "homoglyphs": "\u0421ykelbana",
    "private-use": "\ue000",
    "unassigned": "\U0001fae9",  # assigned after Python's Unicode tables
    "markup": "<script>alert(1)</script>",
}


@pytest.mark.parametrize("value", KEPT.values(), ids=KEPT.keys())
def test_honest_text_is_kept_as_typed(value):
    assert clean_text(value, "f", 200) == unicodedata.normalize("NFC", value)
    assert clean_name(value, "f", 200) == unicodedata.normalize("NFC", value)


def test_text_is_stored_in_nfc_and_measured_after():
    assert clean_text("Ha\u0308llo\u0301", "f", 5) == "H\u00e4ll\u00f3"
    assert clean_text("e\u0301", "f", 1) == "\u00e9"
    assert clean_text("\u1100\u1161\u11a8", "f", 1) == "\uac01"  # Hangul jamo to one syllable
    assert clean_text("A\u030a" * 60, "f", 60) == "\u00c5" * 60  # 120 typed, 60 stored
    assert code("A\u030a" * 61, maximum=60) == "too_long"


def test_line_breaks_in_multiline_fields_and_spaces_in_one_line_fields():
    assert clean_text(" a\r\nb\rc\u2028d\u2029e\n\tf ", "f", 50) == "a\nb\nc\nd\ne\n\tf"
    assert clean_text(" a\r\nb \t c\u2028d\u00a0\u3000e ", "f", 50, multiline=False) == "a b c d e"
    assert clean_name("  Anna \n\t Berg  ", "display_name", 60) == "Anna Berg"


def test_blank_letters_are_trimmed_from_the_ends():
    assert clean_text("\u3164 Anna \u2800\u3164", "f", 20) == "Anna"
    assert clean_text("A\u3164B", "f", 20) == "A\u3164B"  # inside, it is what was typed


def test_stacked_marks_are_refused_past_the_stream_safe_bound():
    assert clean_text("x" + "\u0301" * MARKS_MAX, "f", 200)
    assert code("x" + "\u0301" * (MARKS_MAX + 1)) == "too_many_marks"
    assert clean_text("a" + "\u0301" * (MARKS_MAX + 1), "f", 200)  # NFC makes it á + 30
    assert code("Z" + "\u0336\u0301\u0327" * 30) == "too_many_marks"
    # Joiners between the marks do not reset the count.
    assert code("a" + "\u0301\u200d" * 16) == "too_many_marks"
    # A flood longer than the field stays too_long, as before.
    assert code("Z" + "\u0336" * 5000, maximum=120) == "too_long"


def test_codes_messages_and_fields_are_the_existing_ones(app):
    expected = {
        42: ("invalid_type", "Fältet måste innehålla text."),
        "a\x00": ("invalid_characters", "Ta bort de osynliga styrtecknen ur texten."),
        "a\u202eb": ("invalid_characters", "Ta bort de osynliga styrtecknen ur texten."),
        "\u200b": ("required", "Skriv något här."),
        "x" * 121: ("too_long", "Högst 120 tecken."),
    }
    with app.test_request_context():
        for value, (error_code, message) in expected.items():
            with pytest.raises(OperationError) as caught:
                clean_text(value, "title", 120)
            assert caught.value.to_dict() == {"error": error_code, "message": message,
                                              "field": "title"}
        with pytest.raises(OperationError) as caught:
            clean_text("x" + "\u0301" * 31, "body", 1000)
        assert caught.value.to_dict()["message"] == ("För många accenter eller osynliga tecken "
                                                     "i rad. Ta bort några.")


def old_set_display_name(name):
    """participation/participants/operations.py before clean_name, without the write."""
    if not isinstance(name, str):
        raise OperationError("invalid_type", "", field="display_name")
    name = " ".join(name.split())
    if len(name) > 60:
        raise OperationError("too_long", "", field="display_name")
    return name


@pytest.mark.parametrize("name", ["Anna", "  Anna   Berg ", "", "   ", "x" * 60, "x" * 61,
                                  "x" * 59 + "   ", 42, ["Anna"], {"n": 1}, True, "Åsa Öberg",
                                  "Anna\tBerg\nAB", "李小龍"])
def test_clean_name_is_a_drop_in_for_the_display_name_check(name):
    def outcome(func_):
        try:
            return func_()
        except OperationError as error:
            return (error.code, error.field)

    assert outcome(lambda: clean_name(name, "display_name", 60)) == outcome(
        lambda: old_set_display_name(name))


@pytest.mark.parametrize("name", ["Anna\x00", "\u202eannA", "Anna\x85", "Anna\u2066x\u2069"])
def test_clean_name_refuses_what_the_old_display_name_check_kept(name):
    assert old_set_display_name(name)  # stored before
    with pytest.raises(OperationError) as caught:
        clean_name(name, "display_name", 60)
    assert (caught.value.code, caught.value.field) == ("invalid_characters", "display_name")


def test_cost_stays_small_on_64_kib_of_anything():
    import time

    for value in ("\u200d" * 65536, "a\u200d" * 32768, " " * 65535 + "x", "åäö " * 16384,
                  "\u3164" * 65536, "a" + "\u0301" * 65535):
        started = time.perf_counter()
        code(value, maximum=70000)
        assert time.perf_counter() - started < 0.5, repr(value[:3])


CODES = {"invalid_type", "invalid_characters", "required", "too_long", "too_many_marks"}


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80), st.booleans(), st.booleans())
def test_any_text_is_refused_with_a_known_code_or_stored_clean_and_stable(value, required,
                                                                          multiline):
    try:
        cleaned = clean_text(value, "f", 60, required, multiline=multiline)
    except OperationError as error:
        assert error.code in CODES
        return
    assert unicodedata.is_normalized("NFC", cleaned)
    assert len(cleaned) <= 60
    assert cleaned == cleaned.strip()
    assert "\r" not in cleaned and "\x00" not in cleaned
    assert multiline or ("\n" not in cleaned and "  " not in cleaned)
    assert clean_text(cleaned, "f", 60, required, multiline=multiline) == cleaned
