"""Signed values the comments app hands out: the form token, unsubscribe links, saved details.

The form token, and why it is not a CSRF token
----------------------------------------------
Pages with a comment form are meant to be kept in a shared cache (one copy
served to every anonymous reader), so the form may carry nothing that differs
between readers: no CSRF token, no cookie. Instead it carries this token, the
same for everyone who loads the page within one ``COMMENTS_FORM_TOKEN_WINDOW``
(10 minutes): it binds the page (content type and id) and the *start* of the
window the page was rendered in, signed with our secret key and a salt of its
own. Cross-site posts are stopped by the view's Origin / Sec-Fetch-Site check
(``comments/views.py``); the token stops posts aimed at another page, replays
of tokens older than ``COMMENTS_FORM_MAX_AGE`` and forged ones.

Rounding the time *down* keeps cached pages identical, and makes the
"too fast" test one-sided: the token claims the page is older than it really
is, so a person rarely looks too fast. It still catches a robot that posts
within seconds of a fresh window. Two edges remain, and both only *hold* a
comment for a person, never file it as spam (``comments/lifecycle.py``):
a reader who posts within seconds of a window's start, and app servers whose
clocks differ. The second is tolerated up to ``COMMENTS_FORM_CLOCK_SKEW``
seconds: a post is too fast only when its token is younger than
``COMMENTS_FORM_MIN_SECONDS - COMMENTS_FORM_CLOCK_SKEW``, and expires only
when older than ``COMMENTS_FORM_MAX_AGE + COMMENTS_FORM_CLOCK_SKEW``.

A form shown *again* (after an expired token, a "please wait", an error) is a
private page that is never cached, so it gets a token of its own
(``issue_form_token(..., ready=True)``): dated as if issued the minimum time
ago, not rounded, so pressing "Post" at once is never too fast and the token
lasts its whole ``COMMENTS_FORM_MAX_AGE``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import ObjectDoesNotExist
from django.db import models

FORM_SALT = "comments.form-token"
UNSUBSCRIBE_SALT = "comments.unsubscribe"
AUTHOR_COOKIE_SALT = "comments.author-cookie"

# The readers' two cookies (comments/readers.py sets and reads them): "Save my
# name, e-mail and website", and a poster's own comments while they wait.
AUTHOR_COOKIE = "comment_author"
AUTHOR_COOKIE_DAYS = 365
OWN_COOKIE = "comments_mine"
OWN_COOKIE_DAYS = 30
OWN_COMMENTS_SALT = "comments.own-comments"
OWN_COMMENTS_KEPT = 20
# Unsubscribe links in reply e-mails stay valid this long.
UNSUBSCRIBE_MAX_AGE_DAYS = 90


def now_seconds() -> int:
    return int(time.time())


@dataclass(frozen=True)
class FormToken:
    content_type_id: int
    object_id: str
    issued: int

    def age(self, now: int | None = None) -> int:
        return (now if now is not None else now_seconds()) - self.issued

    def is_too_fast(self, now: int | None = None) -> bool:
        return self.age(now) < settings.COMMENTS_FORM_MIN_SECONDS - settings.COMMENTS_FORM_CLOCK_SKEW

    def is_expired(self, now: int | None = None) -> bool:
        return self.age(now) > settings.COMMENTS_FORM_MAX_AGE + settings.COMMENTS_FORM_CLOCK_SKEW

    def target(self) -> models.Model | None:
        """The page the token was issued for, or None if it is gone."""
        try:
            content_type = ContentType.objects.get_for_id(self.content_type_id)
            return content_type.get_object_for_this_type(pk=self.object_id)
        except (ObjectDoesNotExist, ValueError, AttributeError):
            return None


def issue_form_token(target: models.Model, *, now: int | None = None, ready: bool = False) -> str:
    """A token for a form on ``target``'s page.

    By default the same for every reader within one token window, so the page
    can be cached. ``ready=True`` is for a form shown again to one person on a
    page that is never cached: valid for posting at once, and for the whole
    maximum age from now.
    """
    moment = now if now is not None else now_seconds()
    if ready:
        issued = moment - settings.COMMENTS_FORM_MIN_SECONDS
    else:
        issued = moment - moment % settings.COMMENTS_FORM_TOKEN_WINDOW
    content_type = ContentType.objects.get_for_model(target)
    payload = f"{content_type.pk}:{target.pk}:{issued}"
    return signing.Signer(salt=FORM_SALT).sign(payload)


def read_form_token(token: str) -> FormToken | None:
    """The token's content, or None if it was not made by us (tampered, truncated, another salt)."""
    try:
        payload = signing.Signer(salt=FORM_SALT).unsign(token)
        content_type_id, object_id, issued = payload.split(":")
        return FormToken(int(content_type_id), object_id, int(issued))
    except (signing.BadSignature, ValueError):
        return None


def unsubscribe_token(comment_id: int) -> str:
    return signing.dumps({"c": comment_id}, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> int | None:
    """The comment id from a valid, unexpired unsubscribe token, or None."""
    max_age = UNSUBSCRIBE_MAX_AGE_DAYS * 24 * 3600
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=max_age)
    except signing.BadSignature:  # also SignatureExpired, its subclass
        return None
    comment_id = data.get("c") if isinstance(data, dict) else None
    return comment_id if isinstance(comment_id, int) else None


def author_cookie_value(*, name: str, email: str, url: str) -> str:
    return signing.dumps({"name": name, "email": email, "url": url}, salt=AUTHOR_COOKIE_SALT, compress=True)


def read_author_cookie(value: str | None) -> dict[str, Any]:
    """Saved name, e-mail and website, or {} when absent or not ours."""
    if not value:
        return {}
    try:
        data = signing.loads(value, salt=AUTHOR_COOKIE_SALT)
    except signing.BadSignature:
        return {}
    if not isinstance(data, dict):
        return {}
    return {key: str(data.get(key, ""))[:254] for key in ("name", "email", "url")}


def own_comments_cookie_value(ids: list[int]) -> str:
    """The reader's own recent comments (the last ``OWN_COMMENTS_KEPT`` ids), signed.

    Lets a poster see their comment while it waits, with no session row written
    for them; the signature stops anyone listing other people's comments.
    """
    return signing.dumps(ids[-OWN_COMMENTS_KEPT:], salt=OWN_COMMENTS_SALT)


def read_own_comments_cookie(value: str | None) -> list[int]:
    """The comment ids in the cookie, or [] when absent, expired or not ours."""
    if not value:
        return []
    try:
        data = signing.loads(value, salt=OWN_COMMENTS_SALT, max_age=OWN_COOKIE_DAYS * 86_400)
    except signing.BadSignature:
        return []
    if not isinstance(data, list):
        return []
    return [pk for pk in data if isinstance(pk, int)][-OWN_COMMENTS_KEPT:]
