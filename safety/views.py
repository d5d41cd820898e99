from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET


@require_GET
def help_now(request: HttpRequest) -> HttpResponse:
    """Urgent advice, shown straight after someone writes about the warning signs of a back emergency.

    ``next`` (a path on this site) is where their message is; anything else is ignored.
    """
    next_url = request.GET.get("next", "")
    if not (next_url.startswith("/") and url_has_allowed_host_and_scheme(next_url, allowed_hosts=None)):
        next_url = ""
    return render(request, "safety/help_now.html", {"next_url": next_url})
