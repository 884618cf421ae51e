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
    """Derived in queries (see selectors.with_status), never stored.

    Externals get one of the DECLARATION_* states (declarations.declaration_status);
    DECLARATION_REQUIRED is not derived for a row: it is the filter value that
    groups every external without a valid signature (DECLARATION_UNSIGNED).
    """

    TO_PLAN = "to_plan", _("To plan")
    OVERDUE = "overdue", _("Overdue")
    WITNESS_PENDING = "witness_pending", _("Witness pending")
    WITNESS_DECLINED = "witness_declined", _("Witness declined")
    PLANNED = "planned", _("Planned")
    SWORN = "sworn", _("Sworn")
    DECLARATION_REQUIRED = "declaration_required", _("Declaration not yet signed")
    DECLARATION_NOT_SENT = "declaration_not_sent", _("Declaration not sent")
    DECLARATION_SENT = "declaration_sent", _("Declaration sent")
    DECLARATION_OPENED = "declaration_opened", _("Declaration opened")
    DECLARATION_SIGNED = "declaration_signed", _("Declaration signed")
    DECLARATION_EXPIRED = "declaration_expired", _("Declaration link expired")


# The states an external without a valid signature can be in.
DECLARATION_UNSIGNED = (
    Status.DECLARATION_NOT_SENT,
    Status.DECLARATION_SENT,
    Status.DECLARATION_OPENED,
    Status.DECLARATION_EXPIRED,
)
DECLARATION_STATUSES = (*DECLARATION_UNSIGNED[:3], Status.DECLARATION_SIGNED, Status.DECLARATION_EXPIRED)


class TextKind(models.TextChoices):
    OATH = "oath", _("Oath formula")
    AFFIRMATION = "affirmation", _("Affirmation formula")
    DECLARATION = "declaration", _("Integrity declaration")
