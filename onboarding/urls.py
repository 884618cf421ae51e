"""The onboarding app's pages: dashboard, newcomers, their import and declarations, users, language.

Included at the root by ``config.urls``, like ``eed.urls``.
"""

from django.urls import path

from onboarding.accounts import views as account_views
from onboarding.declarations import views as declaration_views
from onboarding.imports import views as import_views
from onboarding.newcomers import views as newcomer_views

urlpatterns = [
    path("", newcomer_views.dashboard, name="dashboard"),
    path("newcomers/", newcomer_views.newcomer_list, name="newcomer_list"),
    path("newcomers/new/", newcomer_views.newcomer_create, name="newcomer_create"),
    path("newcomers/<int:pk>/", newcomer_views.newcomer_detail, name="newcomer_detail"),
    path("newcomers/<int:pk>/edit/", newcomer_views.newcomer_edit, name="newcomer_edit"),
    path("newcomers/import/", import_views.import_upload, name="import_upload"),
    path("newcomers/import/<int:pk>/", import_views.import_preview, name="import_preview"),
    path("newcomers/import/template.<str:export_format>", import_views.import_template, name="import_template"),
    path("newcomers/import/<int:pk>/confirm/", import_views.import_confirm, name="import_confirm"),
    path("newcomers/import/<int:pk>/confirm-valid/", import_views.import_confirm_valid, name="import_confirm_valid"),
    path("newcomers/import/<int:pk>/rows-with-problems/", import_views.import_left_out, name="import_left_out"),
    path("newcomers/<int:pk>/declaration/send/", declaration_views.declaration_send, name="declaration_send"),
    path("newcomers/<int:pk>/declaration/pdf/", declaration_views.declaration_pdf_for_hr, name="declaration_pdf_hr"),
    path("declarations/", declaration_views.declaration_list, name="declaration_list"),
    path("declarations/send/", declaration_views.declaration_send_many, name="declaration_send_many"),
    path(
        "declarations/signatures/<int:pk>/withdraw/",
        declaration_views.declaration_withdraw,
        name="declaration_withdraw",
    ),
    path("d/<str:token>/", declaration_views.declaration_sign, name="declaration_sign"),
    path("d/<str:token>/pdf/", declaration_views.declaration_pdf, name="declaration_pdf"),
    path("users/", account_views.user_list, name="user_list"),
    path("users/invite/", account_views.user_invite, name="user_invite"),
    path("users/<int:pk>/deactivate/", account_views.user_deactivate, name="user_deactivate"),
    path("users/<int:pk>/reactivate/", account_views.user_reactivate, name="user_reactivate"),
    path("users/<int:pk>/invitation/", account_views.user_invitation_resend, name="user_invitation_resend"),
    path("language/", account_views.language_set, name="language_set"),
    path("toegankelijkheid/", account_views.accessibility_statement, name="accessibility_statement"),
]
