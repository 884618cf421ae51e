"""The project's root URLconf: each app's pages, then allauth's and the admin's.

``/accounts/email/`` and ``/admin/login/`` are the onboarding app's own views
in place of allauth's and the admin's pages, so they come before the includes
that would otherwise answer those paths.
"""

from django.contrib import admin
from django.urls import include, path

from onboarding.accounts import views

urlpatterns = [
    path("api/v1/", include("api.urls")),
    path("", include("onboarding.urls")),
    path("", include("eed.urls")),
    path("accounts/email/", views.account_email, name="account_email"),
    path("accounts/", include("allauth.urls")),
    path("admin/login/", views.admin_login, name="admin_login"),
    path("admin/", admin.site.urls),
]
