from django.urls import path

from eed import calendar_views, link_views, views

urlpatterns = [
    path("ceremonies/", views.ceremony_list, name="ceremony_list"),
    path("ceremonies/new/", views.ceremony_create, name="ceremony_create"),
    path("ceremonies/<int:pk>/", views.ceremony_detail, name="ceremony_detail"),
    path("ceremonies/<int:pk>/edit/", views.ceremony_edit, name="ceremony_edit"),
    path("ceremonies/<int:pk>/cancel/", views.ceremony_cancel, name="ceremony_cancel"),
    path("ceremonies/<int:pk>/add/", views.appointment_add, name="appointment_add"),
    path("ceremonies/<int:pk>/invite.ics", calendar_views.ceremony_ics, name="ceremony_ics"),
    path("appointments/<int:pk>/remove/", views.appointment_remove, name="appointment_remove"),
    path("appointments/<int:pk>/witness/", views.witness_replace, name="witness_replace"),
    path("witness-requests/", views.witness_request_list, name="witness_requests"),
    path("witness-requests/<int:pk>/", views.witness_answer, name="witness_answer"),
    path("e/<str:token>/", link_views.newcomer_link, name="newcomer_link"),
    path("calendar/", calendar_views.calendar_settings, name="calendar_settings"),
    path("calendar/<str:token>.ics", calendar_views.calendar_feed, name="calendar_feed"),
]
