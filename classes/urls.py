from django.urls import path

from . import views

app_name = "classes"

urlpatterns = [
    path("", views.CourseListView.as_view(), name="list"),
]
