"""The comments shown under a page: one page of threads, built with a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.core.paginator import Page, Paginator
from django.db import models
from django.utils import timezone

from . import edits
from .models import Comment

# Top-level comments on one page of a thread (their replies come with them).
PER_PAGE = 50
SHOWN_FIELDS = (
    "pk",
    "parent_id",
    "root_id",
    "depth",
    "status",
    "name",
    "url",
    "text",
    "language",
    "submitted_at",
    "edited_at",
    "badge",
)


@dataclass
class Node:
    comment: Comment
    own: bool = False  # the reader's own comment, shown to them while it waits
    can_edit: bool = False  # the reader's own comment, still open to their edits (``edits.refusal``)
    children: list[Node] = field(default_factory=list)
    comments_open: bool = True

    @property
    def can_reply(self) -> bool:
        return not self.comment.reply_refusal(comments_open=self.comments_open)

    @property
    def editable_until(self) -> datetime:
        return edits.editable_until(self.comment)

    @property
    def is_visible(self) -> bool:
        return self.comment.is_approved or self.own

    @property
    def is_removed(self) -> bool:
        """A hidden comment kept as a placeholder because approved replies hang from it."""
        return not self.is_visible

    @property
    def awaiting_approval(self) -> bool:
        return self.own and not self.comment.is_approved


@dataclass
class Row:
    """One comment in the thread as a flat list, in reading order (see ``Threads.rows``).

    ``closes``: how many reply lists end after this comment (one per thread
    level it is the last of), so a template can close them without recursion.
    """

    node: Node
    closes: range = range(0)
    html: str = ""  # the comment's own markup, filled in by whoever renders the thread


@dataclass
class Threads:
    page: Page
    nodes: list[Node]

    @property
    def is_empty(self) -> bool:
        return not self.nodes

    @property
    def rows(self) -> list[Row]:
        """The threads flattened, depth first: one loop renders them without recursive includes."""
        rows: list[Row] = []
        stack = [(node, False) for node in reversed(self.nodes)]
        while stack:
            node, closing = stack.pop()
            if closing:
                rows[-1].closes = range(len(rows[-1].closes) + 1)
                continue
            rows.append(Row(node))
            if node.children:
                stack.append((node, True))
                stack.extend((child, False) for child in reversed(node.children))
        return rows


def build(
    target: models.Model,
    *,
    page_number: int | str | None = 1,
    own_ids: list[int] | tuple[int, ...] = (),
    comments_open: bool = True,
) -> Threads:
    """Approved threads (oldest first, replies nested), plus the reader's own waiting comments.

    Three queries (count, top-level page, replies), and one more only for a
    reader with comments of their own in the session. The reader's own
    comments, published or waiting, carry an "Edit" link for a while.
    """
    on_page = Comment.objects.for_object(target)
    roots = on_page.top_level_with_visible_threads().only(*SHOWN_FIELDS).order_by("submitted_at", "pk")
    page = Paginator(roots, PER_PAGE).get_page(page_number)
    top = [Node(comment, comments_open=comments_open) for comment in page.object_list]
    by_id = {node.comment.pk: node for node in top}
    if top:
        replies = (
            on_page.visible_replies(list(by_id)).only(*SHOWN_FIELDS).order_by("depth", "submitted_at", "pk")
        )
        for reply in replies:
            _attach(by_id, Node(reply, comments_open=comments_open))
    if own_ids:
        waiting = on_page.filter(pk__in=own_ids).exclude(
            status__in=[Comment.Status.APPROVED, Comment.Status.TRASH]
        )
        for comment in waiting.only(*SHOWN_FIELDS).order_by("depth", "submitted_at", "pk"):
            node = Node(comment, own=True, comments_open=comments_open)
            if comment.parent_id is None:
                # Shown on whichever page the reader is on, so the redirect
                # after posting always lands on it.
                top.append(node)
                by_id[comment.pk] = node
            else:
                _attach(by_id, node)
    own_set, now = set(own_ids), timezone.now()
    for node in by_id.values():
        if node.comment.pk in own_set:
            node.can_edit = not edits.refusal(node.comment, own=True, now=now)
        node.children.sort(key=lambda child: (child.comment.submitted_at, child.comment.pk))
    return Threads(page=page, nodes=top)


def _attach(by_id: dict[int, Node], node: Node) -> None:
    parent_id = node.comment.parent_id
    parent = by_id.get(parent_id) if parent_id is not None else None
    if parent is not None:
        parent.children.append(node)
        by_id[node.comment.pk] = node
