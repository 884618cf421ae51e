"""Reads of accounts: the users HR's *Accounts* page lists, with their roles in one more query."""

from django.contrib.auth.models import Group
from django.db.models import Prefetch, QuerySet
from django.db.models.functions import Lower

from onboarding.models import User


def accounts_listed() -> QuerySet:
    """Every account, with its groups prefetched (the roles column costs one query, however many rows)."""
    groups = Prefetch("groups", queryset=Group.objects.order_by("name"))
    return User.objects.prefetch_related(groups).order_by(Lower("last_name"), Lower("first_name"), "email")
