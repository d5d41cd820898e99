"""Logins and groups, with plain labelled multi-selects.

Django's two-box "filter" widget for groups and permissions puts an
``aria-label`` on a bare ``<span>``, which axe rejects (WCAG 4.1.2); a plain
multiple select has a proper label and works with a phone's own picker.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group

User = get_user_model()

admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class AccessibleUserAdmin(UserAdmin):
    filter_horizontal = ()


@admin.register(Group)
class AccessibleGroupAdmin(GroupAdmin):
    filter_horizontal = ()
