from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Role(models.TextChoices):
    """Roles are Django groups with these names; a user may hold several."""

    HR = "HR", _("HR adviser")
    MANAGER = "Manager", pgettext_lazy("role", "Manager")
    OFFICIANT = "Officiant", _("Officiant")


class Kind(models.TextChoices):
    EMPLOYEE = "employee", _("Employee")
    TRAINEE = "trainee", _("Trainee")
    GRIFFIE = "griffie", _("Griffie staff")
    EXTERNAL = "external", _("External")


class AppointingBody(models.TextChoices):
    CIVIL_SERVICE = "civil_service", _("Civil service (provincial secretary)")
    GRIFFIE = "griffie", _("Griffie (clerk)")


class Status(models.TextChoices):
    """Derived in queries (see selectors.with_status), never stored."""

    TO_PLAN = "to_plan", _("To plan")
    OVERDUE = "overdue", _("Overdue")
    DECLARATION_REQUIRED = "declaration_required", _("Declaration required")


class TextKind(models.TextChoices):
    OATH = "oath", _("Oath formula")
    AFFIRMATION = "affirmation", _("Affirmation formula")
    DECLARATION = "declaration", _("Integrity declaration")
