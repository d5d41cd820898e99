from django.urls import path

from . import feeds, views

app_name = "exercises"

urlpatterns = [
    path("", views.ExerciseListView.as_view(), name="list"),
    path("feed/", feeds.LatestExercisesFeed(), name="feed"),
    path("feed/atom/", feeds.LatestExercisesAtomFeed(), name="atom"),
    path("handouts/<slug:slug>.pdf", views.handout_pdf, name="handout"),
    path("<slug:slug>/", views.ExerciseDetailView.as_view(), name="detail"),
    path("<slug:slug>/print/", views.ExercisePrintView.as_view(), name="print"),
    path("<slug:slug>/follow/", views.ExerciseFollowView.as_view(), name="follow"),
]
