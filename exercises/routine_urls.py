"""The reader's routine, at /routine/ (its own namespace: it is not one exercise's page)."""

from django.urls import path

from . import views

app_name = "routine"

urlpatterns = [
    path("", views.routine_page, name="page"),
    path("print/", views.routine_print, name="print"),
    path("handout.pdf", views.routine_pdf, name="pdf"),
    path("follow/", views.routine_follow, name="follow"),
    path("remind/", views.routine_remind, name="remind"),
    path("reminders.ics", views.routine_reminders, name="reminders"),
]
