"""The comment form and every guard a post must pass before it is saved.

Flood control is the one guard that lives outside the form (``comments/flood.py``):
it has to take a slot in the shared cache, which only makes sense once the
post is otherwise good.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Field, Layout, Submit
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import rules, targets, tokens
from .models import HONEYPOT_FIELD, Comment, CommentEvent

ALLOWED_CONTROL_CHARACTERS = {"\t", "\n", "\r"}


def reject_control_characters(value: str) -> None:
    """NUL bytes and other invisible control characters have no place in a comment."""
    if any(unicodedata.category(char) == "Cc" and char not in ALLOWED_CONTROL_CHARACTERS for char in value):
        raise ValidationError(
            _("Please remove the invisible control characters (perhaps pasted by accident)."),
            code="control_characters",
        )


class CommentForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=245, validators=[reject_control_characters])
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        help_text=_("Never shown on the site."),
        validators=[reject_control_characters],
    )
    url = forms.URLField(
        label=_("Website (optional)"),
        max_length=200,
        required=False,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"]), reject_control_characters],
        error_messages={"invalid": _("Enter a web address starting with http:// or https://.")},
    )
    text = forms.CharField(
        label=_("Comment"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        validators=[reject_control_characters],
    )
    subscribe = forms.BooleanField(label=_("E-mail me when someone replies to my comment"), required=False)
    remember = forms.BooleanField(
        label=_("Save my name, e-mail and website in this browser for the next time I comment"),
        required=False,
    )
    token = forms.CharField(
        widget=forms.HiddenInput, error_messages={"required": _("The form is incomplete.")}
    )
    parent = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # A field robots fill in and people leave alone. Named like something
        # bots like to fill; the label tells anyone who does see it what to do.
        self.fields[HONEYPOT_FIELD] = forms.CharField(
            label=_("Leave this field empty"),
            required=False,
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )
        for name in ("name", "email", "url"):
            self.fields[name].widget.attrs["autocomplete"] = {"name": "name", "email": "email", "url": "url"}[
                name
            ]
        self.form_token: tokens.FormToken | None = None
        self.target: models.Model | None = None
        self.parent_comment: Comment | None = None
        # The comment this post repeats, when the duplicate guard refuses it.
        self.duplicate_of: Comment | None = None
        self.helper = self._helper()

    def _helper(self) -> FormHelper:
        helper = FormHelper()
        helper.form_tag = False
        helper.disable_csrf = True
        # The honeypot is moved off-screen, unless it has an error: then a
        # person whose browser filled it in can see it and clear it.
        honeypot_class = "comments-hp-shown" if self.has_honeypot_error else "comments-hp"
        helper.layout = Layout(
            "token",
            "parent",
            "text",
            "name",
            "email",
            "url",
            Div(Field(HONEYPOT_FIELD), css_class=honeypot_class),
            "subscribe",
            "remember",
            Submit("submit", _("Post comment")),
            # Written here with gettext, not as template text inside a Python string,
            # which makemessages cannot see (it stayed English on Welsh pages).
            HTML(
                format_html(
                    '<p class="comments-privacy">{} <a href="{}#comments">{}</a></p>',
                    _("This site uses Akismet to reduce spam."),
                    reverse("privacy"),
                    _("Learn how your comment data is processed."),
                )
            ),
        )
        return helper

    @property
    def has_honeypot_error(self) -> bool:
        return self.is_bound and HONEYPOT_FIELD in self.errors

    @property
    def has_forged_token(self) -> bool:
        """No usable token at all: not a post from our page (or a tampered one)."""
        return self.is_bound and "token" in self.errors and not self.has_error("token", "expired")

    @property
    def has_expired_token(self) -> bool:
        return self.is_bound and self.has_error("token", "expired")

    @property
    def doubt(self) -> rules.Doubt | None:
        """The guards' doubt about a valid post: it describes warning signs of a back emergency,
        or was sent too fast. It holds the comment for a person."""
        if warning := rules.warning_signs_doubt(self.cleaned_data["text"]):
            return warning
        if self.form_token is not None and self.form_token.is_too_fast():
            return rules.Doubt(
                rules.TOO_FAST, kind=CommentEvent.Kind.TOO_FAST, detail={"seconds": self.form_token.age()}
            )
        return None

    def clean_token(self) -> str:
        value = self.cleaned_data["token"]
        token = tokens.read_form_token(value)
        target = token.target() if token else None
        if token is None or target is None:
            raise ValidationError(_("This form was not sent from our page."), code="invalid")
        self.form_token, self.target = token, target
        if token.is_expired():
            raise ValidationError(
                _(
                    "This page was open for a long time, so for safety please send your comment again: "
                    "it is still here, just press “Post comment”."
                ),
                code="expired",
            )
        return value

    def clean_parent(self) -> int | None:
        parent_id = self.cleaned_data.get("parent")
        if parent_id is None:
            return None
        parent = Comment.objects.filter(pk=parent_id).first()
        # Only a published comment is ever quoted back, even on an error page.
        self.parent_comment = parent if parent is not None and parent.is_approved else None
        if parent is None or self.target is None:
            raise ValidationError(
                _("The comment you are replying to is no longer on the page."), code="parent"
            )
        refusal = parent.reply_refusal(comments_open=targets.comments_open(self.target))
        if refusal:
            raise ValidationError(refusal, code="parent")
        return parent_id

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get(HONEYPOT_FIELD):
            self.add_error(
                HONEYPOT_FIELD,
                ValidationError(
                    _("Please leave this field empty: it is a trap for spam robots."), code="honeypot"
                ),
            )
        if self.target is None:
            return cleaned
        if not cleaned.get("parent") and not targets.comments_open(self.target):
            raise ValidationError(_("Comments are closed on this page."), code="closed")
        if cleaned.get("parent") and not self._parent_belongs_to_target():
            self.add_error("parent", ValidationError(_("That reply does not belong here."), code="parent"))
        if (
            cleaned.get("email")
            and cleaned.get("text")
            and self._is_duplicate(cleaned["email"], cleaned["text"])
        ):
            raise ValidationError(
                _(
                    "You have already sent this comment, so we have not added it twice. "
                    "It is on the page, or waiting for approval."
                ),
                code="duplicate",
            )
        return cleaned

    def _parent_belongs_to_target(self) -> bool:
        token = self.form_token
        return (
            token is not None
            and self.parent_comment is not None
            and self.parent_comment.content_type_id == token.content_type_id
            and self.parent_comment.object_id == token.object_id
        )

    def _is_duplicate(self, email: str, text: str) -> bool:
        if self.target is None:
            return False
        # Only the id first: nearly every post is new, and building the query for a whole
        # comment (some thirty columns) cost more CPU than the rest of the check.
        found = (
            Comment.objects.for_object(self.target)
            .by_email(email)
            .filter(text=text.strip())
            .exclude(status=Comment.Status.TRASH)
            .values_list("pk", flat=True)
            .first()
        )
        self.duplicate_of = Comment.objects.filter(pk=found).first() if found is not None else None
        return self.duplicate_of is not None

    @property
    def repeats_warning_signs(self) -> bool:
        """Refused as a repeat of a comment that describes warning signs: its writer still needs
        the urgent advice (they may be sending it again because nobody has answered)."""
        return self.duplicate_of is not None and rules.warning_signs_doubt(self.duplicate_of.text) is not None

    def error_list(self) -> list[tuple[str, str]]:
        """(field id, message) pairs for the error summary; "" for errors not tied to a field."""
        pairs = [("", str(message)) for message in self.non_field_errors()]
        for name, errors in self.errors.items():
            if name == NON_FIELD_ERRORS:
                continue
            field_id = "" if name in ("token", "parent") else f"id_{name}"
            pairs.extend((field_id, str(message)) for message in errors)
        return pairs

    def build(
        self, *, ip: str | None, user_agent: str, referrer: str, permalink: str, language: str
    ) -> Comment:
        """The comment, not yet saved, with what Akismet needs to know; ``lifecycle.receive`` saves it.

        ``language``: the page's, which Akismet, the page and reply e-mails use.
        """
        data, target = self.cleaned_data, self.target
        if target is None:
            raise ValueError("Only a valid form builds a comment: this one has no page.")
        comment = Comment(
            content_type=ContentType.objects.get_for_model(target),
            object_id=str(target.pk),
            parent=self.parent_comment,
            name=data["name"],
            email=data["email"],
            url=data["url"],
            text=data["text"],
            subscribed=data["subscribe"],
            ip=ip,
            user_agent=user_agent[:1000],
            referrer=referrer[:2000],
            permalink=permalink[:2000],
            language=language,
        )
        # The page it is on is already known: its address (the redirect, e-mails) costs no query.
        Comment._meta.get_field("target").set_cached_value(comment, self.target)
        return comment


class CommentEditForm(forms.Form):
    """The writer's new text for their own comment (``views.edit``): the comment form's text rules."""

    text = forms.CharField(
        label=_("Your comment"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        validators=[reject_control_characters],
        error_messages={"required": _("Please write your comment: an empty comment cannot be saved.")},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout("text", Submit("submit", _("Save changes")))
