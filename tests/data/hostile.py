"""A corpus of hostile input, shared by the in-process and the browser tests.

TEXT goes into every text field; WRONG_TYPES and WRONG_NUMBERS replace strings and whole
numbers in JSON and socket payloads. Every script-like payload sets `window.__pwned`, so a
browser test can tell whether any of them ever ran.
"""

PWN = "window.__pwned=1"

# (id, value). Kept short enough for a title (120) unless the id says "oversize".
XSS = [
    ("script-tag", f"<script>{PWN}</script>"),
    ("img-onerror-breakout", f'"><img src=x onerror="{PWN}">'),
    ("svg-onload-single", f"'><svg onload={PWN}>"),
    ("svg-script", f"<svg><script>{PWN}</script></svg>"),
    ("mathml-mxss", f"<math><mtext><table><mglyph><style><img src=x onerror={PWN}>"),
    ("iframe-srcdoc", '<iframe srcdoc="<script>parent.__pwned=1</script>">'),
    ("anchor-javascript", f'<a href="javascript:{PWN}">klicka</a>'),
    ("javascript-url", f"javascript:{PWN}"),
    ("data-url", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="),
    ("close-textarea", f"</textarea><script>{PWN}</script>"),
    ("close-title", f"</title><img src=x onerror={PWN}>"),
    ("close-script", f"</script><script>{PWN}</script>"),
    ("comment-breakout", f"--><img src=x onerror={PWN}><!--"),
    ("style-tag", "<style>body{display:none}</style>"),
    ("body-onload", f"<body onload={PWN}>"),
    ("dq-attribute", f'" autofocus onfocus="{PWN}" x="'),
    ("sq-attribute", f"' autofocus onfocus='{PWN}' x='"),
    ("backtick-attribute", f"` onmouseover={PWN} x=`"),
    ("base-href", '<base href="http://evil.example/">'),
    ("meta-refresh", '<meta http-equiv="refresh" content="0;url=http://evil.example/">'),
    ("pre-escaped", "&lt;script&gt;&amp;&quot;"),
    ("details-ontoggle", f"<details open ontoggle={PWN}>"),
]

TEMPLATE = [
    ("jinja-expression", "{{7*7}} {{config}}"),
    ("jinja-statement", "{% for x in range(3) %}{{x}}{% endfor %}"),
    ("js-template", "${7*7} #{7*7} <%= 7*7 %>"),
    ("format-string", "%(title)s %s %d {0} {title}"),
]

CSV_FORMULAS = [
    ("csv-equals", '=HYPERLINK("http://evil.example","klicka")'),
    ("csv-plus", "+1+1"),
    ("csv-minus", "-2+3"),
    ("csv-at", "@SUM(A1:A9)"),
]

UNICODE = [
    ("homoglyph", "\u0421ykelbana \u0456 \u0430llé"),  # Cyrillic С, і, а
    ("emoji", "Cykel 🚲 träd 🌳 familj 👩‍👩‍👧‍👦 flagga 🇸🇪"),
    ("line-separator", "Rad ett\u2028rad två\u2029slut"),
    ("fullwidth-brackets", "\uff1cscript\uff1e\u3008img\u3009"),
    ("case-folding", "Straße İstanbul ﬁnal ǅ"),
    ("sql-quote", "'; DROP TABLE proposals; --"),
    ("path", "../../../etc/passwd"),
]

# Refused wherever a text is stored: no database (or reader) should get them.
REFUSED_TEXT = [
    # Text that reads otherwise than it is stored (core/validate.py).
    ("rtl-override", "Buss \u202egnin\u202c till jobbet"),
    ("zero-width", "Cy\u200dkel\u200bbana\u2060\ufeff"),
    ("combining-few", "Z" + "\u0336\u0301\u0327" * 30),
    ("nul-byte", "Tåg\x00"),
    ("escape-sequence", "Buss\x1b[31m"),
    ("lone-high-surrogate", "a\ud800b"),
    ("lone-low-surrogate", "\udfff"),
    ("blank-unicode", "\u00a0\u2003\u3000"),
    ("oversize-10k", "x" * 10_000),
    ("combining-flood", "Z" + "\u0336" * 5_000),
]

# Larger than any request may be (MAX_CONTENT_LENGTH is 64 KiB): a 413, not a write.
OVERSIZE_1M = ("oversize-1m", "å" * 1_000_000)

TEXT = XSS + TEMPLATE + CSV_FORMULAS + UNICODE + REFUSED_TEXT

WRONG_TYPES = [
    ("empty-list", []),
    ("list", ["Tåg", "Buss"]),
    ("empty-object", {}),
    ("operator-object", {"$gt": ""}),
    ("zero", 0),
    ("number", 42),
    ("negative", -1),
    ("float", 1.5),
    ("true", True),
    ("false", False),
    ("huge-int", 2**70),
    ("nan", float("nan")),
    ("infinity", float("inf")),
]

# Where a whole number (an id, dots, a score, a count) is expected.
WRONG_NUMBERS = [
    ("digit-string", "1"),
    ("superscript-digit", "²"),
    ("long-digit-string", "9" * 5000),
    ("true", True),
    ("false", False),
    ("float", 1.5),
    ("integral-float", 1.0),
    ("nan", float("nan")),
    ("infinity", float("inf")),
    ("negative", -1),
    ("huge-int", 2**70),
    ("huge-negative", -(2**70)),
    ("list", [1]),
    ("object", {"id": 1}),
    ("script", f"<script>{PWN}</script>"),
]

# Raw bodies no JSON parser should take as an object.
BAD_BODIES = [
    ("invalid-utf8", b'{"title": "\xff\xfe T\xe5g"}'),
    ("truncated", b'{"title": "T'),
    ("top-level-list", b'["title"]'),
    ("top-level-string", b'"title"'),
    ("empty", b""),
    ("duplicate-keys", b'{"title": 1, "title": "T\xc3\xa5g", "client_id": 7}'),
]

# Payloads for the browser: few, and each one trips `window.__pwned` if it ever runs.
BROWSER = [value for key, value in XSS if key in (
    "script-tag", "img-onerror-breakout", "svg-onload-single", "mathml-mxss", "close-script",
    "dq-attribute", "details-ontoggle")]
