"""Which import batches a user may open."""

from django.http import Http404

from onboarding.models import ImportBatch


def get_batch_for_user(user, pk) -> ImportBatch:
    """The batch if this user uploaded it; 404 otherwise, so other users learn nothing."""
    try:
        return ImportBatch.objects.get(pk=pk, uploaded_by=user)
    except (ImportBatch.DoesNotExist, ValueError):
        raise Http404 from None
