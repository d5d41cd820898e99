"""A URLconf whose one shared page names a scope no model retires (tests/pagecache/test_declarations.py)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from pagecache.decorators import shared_page


@shared_page(scopes=["exercise"])
def misspelt(request: HttpRequest) -> HttpResponse:
    return HttpResponse("never retired by a change")


urlpatterns = [path("misspelt/", misspelt)]
