"""Newcomer import: upload a file (read once, there), preview what it would do, confirm to write it."""

import os

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onboarding.accounts.access import hr_required
from onboarding.imports.access import get_batch_for_user
from onboarding.imports.forms import ImportUploadForm
from onboarding.imports.services import (
    ImportRefused,
    batch_preview,
    batch_stored_import,
    import_batch_upload,
    newcomers_import,
)
from onboarding.newcomers.filters import import_list_url

ROWS_PER_PAGE = 100


@hr_required
def import_upload(request):
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        filename = os.path.basename(upload.name or "")
        try:
            batch = import_batch_upload(content=upload.read(), filename=filename, by=request.user)
        except ImportRefused as exc:
            for message in exc.result.file_errors:
                form.add_error("file", message)
        else:
            return redirect("import_preview", pk=batch.pk)
    return render(request, "onboarding/import_upload.html", {"form": form})


@hr_required
def import_preview(request, pk):
    batch = get_batch_for_user(request.user, pk)
    if batch.applied_at is not None:
        return render(request, "onboarding/import_preview.html", {"batch": batch, "list_url": import_list_url(batch)})
    stored = batch_stored_import(batch)
    problem_page = _page(request, stored.summary["problem_rows"], "problems_page")
    row_page = _page(request, range(stored.summary["rows"]), "page")
    preview = batch_preview(stored=stored, shown={*problem_page, *row_page})
    context = {
        "batch": batch,
        "result": preview,
        "counts": preview.counts,
        "problem_page": problem_page,
        "row_page": row_page,
        "problems": _shown_rows(problem_page, preview),
        "rows": _shown_rows(row_page, preview),
    }
    return render(request, "onboarding/import_preview.html", context)


def _page(request, items, parameter):
    """A page of row indexes: the preview decodes and checks only the rows on it, besides counting."""
    return Paginator(items, ROWS_PER_PAGE).get_page(request.GET.get(parameter))


def _shown_rows(page, preview) -> list[dict]:
    """The page's rows with column names as the file spells them, for the template."""
    rows = (preview.shown[index] for index in page)
    return [
        {
            "row": row,
            "cells": row.display_values,
            "errors": [(preview.column_title(column) or "-", message) for column, message in row.errors],
            "changes": [(preview.column_title(c.column), c.before, c.after) for c in row.changes],
        }
        for row in rows
    ]


@require_POST
@hr_required
def import_confirm(request, pk):
    batch = get_batch_for_user(request.user, pk)
    try:
        batch = newcomers_import(batch=batch, by=request.user)
    except ImportRefused as exc:
        messages.error(request, str(exc))
        return redirect("import_preview", pk=batch.pk)
    except IntegrityError:
        messages.error(request, _("The newcomers changed while importing; nothing was imported. Please try again."))
        return redirect("import_preview", pk=batch.pk)
    messages.success(
        request,
        _("Import done. Created: %(created)s, updated: %(updated)s.")
        % {"created": batch.created_count, "updated": batch.updated_count},
    )
    return redirect(import_list_url(batch))
