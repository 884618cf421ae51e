"""Which certificates can be shown at all (not of an anonymised person)."""

from django.shortcuts import get_object_or_404

from eed.models import Certificate


def get_certificate(pk) -> Certificate:
    return get_object_or_404(Certificate.objects.of_kept_people().select_related("text", "organisation"), pk=pk)
