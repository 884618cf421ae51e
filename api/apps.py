from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API for HR systems")

    def ready(self):
        from api.webhooks import events  # noqa: F401  (connects the receivers of the domain events)
