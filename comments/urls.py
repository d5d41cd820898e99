from django.urls import path

from . import views

app_name = "comments"

urlpatterns = [
    path("post/", views.post_comment, name="post"),
    path("reply/<int:pk>/", views.reply, name="reply"),
    path("edit/<int:pk>/", views.edit, name="edit"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
