"""Whether a rendered page holds anything that hostile input could have injected.

A page of ours has scripts only from /static/ (or inert JSON), no inline event handlers, no
javascript: links and none of the elements that only an attacker would write. Anything else in
a page that shows residents' text means some text got out of its escaping.
"""

import json
from html.parser import HTMLParser

FOREIGN = {"iframe", "frame", "object", "embed", "math", "base", "style", "applet",
           "mglyph", "mtext"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "srcdoc"}


class _Scan(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.text: list[str] = []
        self.bodies = 0
        self._json_script = False
        self._json: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in FOREIGN:
            self.problems.append(f"<{tag}> element")
        if tag == "body":
            self.bodies += 1
        if tag == "img" and attributes.get("src") in ("x", None):
            self.problems.append("<img> with a bogus src")
        if tag == "meta" and "http-equiv" in attributes:
            self.problems.append("<meta http-equiv>")
        if tag == "script":
            src, kind = attributes.get("src"), attributes.get("type")
            if kind == "application/json" and not src:
                self._json_script, self._json = True, []
            elif not (src or "").startswith("/static/"):
                self.problems.append(f"<script> not from /static/: {attrs}")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…> event handler")
            if name in ("autofocus", "x") and tag not in ("input", "textarea", "select"):
                self.problems.append(f"<{tag} {name}> attribute")
            if name in URL_ATTRIBUTES and value and "".join(value.split()).lower().startswith(
                    ("javascript:", "data:text/html")):
                self.problems.append(f"<{tag} {name}={value!r}>")
            self.text.append(value or "")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "script" and self._json_script:
            self._json_script = False
            try:
                data = json.loads("".join(self._json))
            except ValueError:
                self.problems.append("a JSON <script> that does not parse")
            else:
                self.text.append(json.dumps(data, ensure_ascii=False))

    def handle_data(self, data):
        if self._json_script:
            self._json.append(data)
        self.text.append(data)

    def handle_comment(self, data):
        self.problems.append(f"an HTML comment: {data[:40]!r}")


def scan(html: str) -> tuple[list[str], str]:
    """(problems, every text node and attribute value joined) of one page."""
    parser = _Scan()
    parser.feed(html)
    parser.close()
    if parser.bodies > 1:
        parser.problems.append("a second <body>")
    return parser.problems, "\n".join(parser.text)
