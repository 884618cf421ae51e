"""The admin: API clients (scopes, organisation unit, rate, webhook) and the queued webhook deliveries.

A client is registered with ``manage.py api_client_create`` (the secret shown once); here it is changed.
"""

from django.contrib import admin

from api.models import ApiClient, WebhookDelivery


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation_unit", "scopes", "webhook_url", "created_at")
    fields = ("name", "application", "organisation_unit", "scopes", "requests_per_minute")
    fields += ("webhook_url", "webhook_events", "webhook_secret")
    readonly_fields = ("application", "webhook_secret")

    def has_add_permission(self, request):
        return False  # manage.py api_client_create: it shows the secret once


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ("id", "client", "event", "newcomer_id", "created_at", "attempts", "delivered_at", "given_up_at")
    list_filter = ("event", "client", ("delivered_at", admin.EmptyFieldListFilter))
    readonly_fields = [field.name for field in WebhookDelivery._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
