from operator import attrgetter

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = _("Comments")

    def ready(self) -> None:
        from pagecache.invalidation import retire_on_change, retire_page_on_change
        from pagecache.personal import personal_cookies

        from . import tokens
        from .models import Comment, CommentSettings

        retire_on_change(CommentSettings, scope="comments")
        # Only a change a reader can see retires the page the comment is on.
        retire_page_on_change(
            Comment,
            page=attrgetter("target_url"),
            if_saved=Comment.shows_change_to_readers,
            if_deleted=Comment.was_public,
        )
        # A reader's saved details and own waiting comments show on the pages they read.
        personal_cookies(tokens.AUTHOR_COOKIE, tokens.OWN_COOKIE)
