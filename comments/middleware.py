from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers


class PrivateWhenPersonalisedMiddleware:
    """Mark a page private when the comments tag personalised it.

    A template tag cannot touch the response, so ``{% comment_thread %}`` (or the form)
    sets ``request.comments_personalised`` when it pre-fills saved details or
    shows the reader their own comment awaiting approval; such a page must
    never be kept in a shared cache and served to someone else.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, "comments_personalised", False):
            patch_cache_control(response, private=True)
            patch_vary_headers(response, ["Cookie"])
        return response
