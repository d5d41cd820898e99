"""The site's URLconf plus views that do, and do not, say ``@shared_page`` (tests/pagecache/test_declarations.py).

The site's own addresses stay: its middleware reverses some (the admin's).
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views import View

from backcare.urls import urlpatterns as site_urlpatterns
from pagecache.decorators import shared_page


@shared_page(params=["colour"], scopes=["exercises"])
def shared(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"shared {request.GET.get('colour', '')}")


def not_shared(request: HttpRequest) -> HttpResponse:
    return HttpResponse("not shared")


@shared_page(scopes=["classes"])
class SharedView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return HttpResponse("a shared class")


class SubclassOfASharedView(SharedView):
    """Says nothing itself: it may read other parameters, or show something personal."""


urlpatterns = [
    path("shared/", shared),
    path("not-shared/", not_shared),
    path("shared-class/", SharedView.as_view()),
    path("subclass/", SubclassOfASharedView.as_view()),
    *site_urlpatterns,
]
