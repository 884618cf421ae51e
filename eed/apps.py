from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EedConfig(AppConfig):
    name = "eed"
    verbose_name = _("Oath and affirmation")
