from django.urls import path

from . import booking_views, views

app_name = "classes"

urlpatterns = [
    path("", views.CourseListView.as_view(), name="list"),
    path("calendar.ics", views.calendar_feed, name="feed"),
    path("alerts/", views.alert_signup, name="alert_signup"),
    path("alerts/sent/", views.AlertSentView.as_view(), name="alert_sent"),
    path("alerts/confirm/<str:token>/", views.alert_confirm, name="alert_confirm"),
    path("alerts/unsubscribe/<str:token>/", views.alert_unsubscribe, name="alert_unsubscribe"),
    path("teachers/<slug:slug>/", views.TeacherDetailView.as_view(), name="teacher"),
    path("teachers/<slug:slug>/enquire/", views.enquiry, name="enquiry"),
    path("teachers/<slug:slug>/enquire/sent/", views.EnquirySentView.as_view(), name="enquiry_sent"),
    path("places/confirm/<str:token>/", booking_views.booking_confirm, name="booking_confirm"),
    path("places/offer/<str:token>/", booking_views.booking_offer, name="booking_offer"),
    path("places/cancel/<str:token>/", booking_views.booking_cancel, name="booking_cancel"),
    path("<slug:slug>/", views.CourseDetailView.as_view(), name="course"),
    path("<slug:slug>/place/", booking_views.book, name="book"),
    path("<slug:slug>/place/sent/", booking_views.booking_sent, name="booking_sent"),
    path("<slug:slug>/calendar.ics", views.course_calendar, name="calendar"),
]
