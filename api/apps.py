from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from api.webhooks.events import webhooks_queue
from core.events import domain_event


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API for HR systems")

    def ready(self):
        domain_event.connect(webhooks_queue, dispatch_uid="api.webhooks.queue")
