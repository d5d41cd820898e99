"""The admin's "view on site" shortcut (``/admin/r/<content type>/<id>/``), for visible objects only.

Django's own shortcut redirects any staff login to any object's public
address, so a teacher could learn the address of another teacher's unpublished
course by trying ids. This one first asks the object's ModelAdmin, as the
change page would: an object outside the login's admin queryset, one it may not
view, or of a model the admin does not show, is "not found".
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.http import Http404, HttpRequest, HttpResponse


def view_on_site(request: HttpRequest, content_type_id: int, object_id: str) -> HttpResponse:
    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:  # a content type left by a removed model (the admin shows no such model)
            raise NotRegistered
        model_admin = admin.site.get_model_admin(model)
    except (ContentType.DoesNotExist, NotRegistered):
        raise Http404 from None
    obj = model_admin.get_object(request, unquote(object_id))
    if obj is None or not model_admin.has_view_or_change_permission(request, obj):
        raise Http404
    return shortcut(request, content_type_id, object_id)
