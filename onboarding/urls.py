from django.contrib import admin
from django.urls import include, path

from onboarding import import_views, views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("newcomers/", views.newcomer_list, name="newcomer_list"),
    path("newcomers/new/", views.newcomer_create, name="newcomer_create"),
    path("newcomers/<int:pk>/", views.newcomer_detail, name="newcomer_detail"),
    path("newcomers/<int:pk>/edit/", views.newcomer_edit, name="newcomer_edit"),
    path("newcomers/import/", import_views.import_upload, name="import_upload"),
    path("newcomers/import/<int:pk>/", import_views.import_preview, name="import_preview"),
    path("newcomers/import/<int:pk>/confirm/", import_views.import_confirm, name="import_confirm"),
    path("users/invite/", views.user_invite, name="user_invite"),
    path("language/", views.language_set, name="language_set"),
    path("", include("eed.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
