# Placeholder, replaced by the import work.
from django.http import HttpResponse


def import_upload(request):
    return HttpResponse()


def import_preview(request, pk):
    return HttpResponse()


def import_confirm(request, pk):
    return HttpResponse()
