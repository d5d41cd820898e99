"""Header values of the e-mails ``classes`` sends, built from what people type.

A course title or an enquirer's name with a line break in it cannot inject a
header (Python's e-mail policy refuses it), but it makes the send fail: one
teacher's title stopped the course-alert run for every subscriber after it,
and such an enquiry was never delivered. Every header value built from data
goes through ``one_line``.

``comments/notifications.py`` keeps its subjects on one line the same way. The
dependency rules keep the two apps apart (``comments`` may import only
``akismet_service`` and ``safety``, neither of which is about mail, and
``classes`` never imports ``comments``), so each app has its own one line.
"""

from __future__ import annotations


def one_line(value: object) -> str:
    """``value`` as one header line: every run of spaces, tabs, line breaks and Unicode line
    or paragraph separators becomes one space."""
    return " ".join(str(value).split())
