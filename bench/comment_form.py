"""HOOK(comments): how the benchmark posts a comment.

It reads the comment form from the exercise page as a browser would: the
form whose action is under /comments/, its hidden fields (object reference,
signed token) kept as they are, the visible fields filled in. Any field this
does not recognise is left empty, which is what a honeypot wants.

After the comments branch is merged, check against comments/forms.py:
* FIELD_VALUES: the names of the name / e-mail / text fields;
* MIN_FORM_AGE: the signed timestamp's minimum age, if the form has one;
* the flood and duplicate guards: every body is unique ({n}), but a per-IP
  flood limit would turn most posts into rejections; bench/run then needs the
  setting that raises it (see docs/performance.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

FIELD_VALUES = {
    "name": "Bench Reader",
    "author": "Bench Reader",
    "email": "bench@example.org",
    "text": "Thank you, this helped my back. Question {n}: how often in a flare-up?",
    "comment": "Thank you, this helped my back. Question {n}: how often in a flare-up?",
    "body": "Thank you, this helped my back. Question {n}: how often in a flare-up?",
}
MIN_FORM_AGE = 3.0  # seconds to wait after fetching the form before the first post


@dataclass
class CommentPost:
    path: str
    headers: dict[str, str]
    body: str  # urlencoded, with {n} where each post puts a unique number

    def as_wrk_file(self) -> str:
        headers = " | ".join(f"{name}: {value}" for name, value in self.headers.items())
        return f"{self.path}\n{headers}\n{self.body}\n"


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = {"action": a.get("action", ""), "method": a.get("method", "get"), "fields": []}
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "textarea", "select") and a.get("name"):
            kind = "textarea" if tag == "textarea" else a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "file"):
                return
            if kind == "checkbox" and "checked" not in a:
                return
            self._form["fields"].append([a["name"], kind, a.get("value", "")])

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None


def build_comment_post(page_html: str, page_url: str) -> CommentPost | None:
    """The POST a reader would send from this page, or None when it has no comment form."""
    parser = _FormParser()
    parser.feed(page_html)
    form = next(
        (f for f in parser.forms if "/comments/" in f["action"] and f["method"].lower() == "post"), None
    )
    if form is None:
        return None
    pairs = []
    for name, kind, value in form["fields"]:
        if kind in ("hidden", "checkbox"):
            pairs.append((name, value))
        else:
            pairs.append((name, FIELD_VALUES.get(name, value)))
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(page_url))
    action = urlsplit(urljoin(page_url, form["action"]))
    # urlencode would escape the braces of {n}: put them back.
    body = urlencode(pairs).replace("%7Bn%7D", "{n}")
    return CommentPost(
        path=action.path + (f"?{action.query}" if action.query else ""),
        headers={"Origin": origin, "Referer": page_url, "Sec-Fetch-Site": "same-origin"},
        body=body,
    )
