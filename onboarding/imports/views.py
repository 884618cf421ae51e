"""Newcomer import: upload a file (read once, there), preview what it would do, confirm to write it (all
rows, or only the valid ones); the template to start from and the rows with problems as downloads."""

import os

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.exports import CONTENT_TYPES, download_response, export_response
from onboarding.accounts.access import hr_required
from onboarding.imports.access import get_batch_for_user
from onboarding.imports.forms import ImportUploadForm, ImportValidRowsForm
from onboarding.imports.left_out import left_out_filename, left_out_table
from onboarding.imports.services import (
    ImportRefused,
    batch_left_out,
    batch_preview,
    batch_stored_import,
    import_batch_upload,
    newcomers_import,
    newcomers_import_valid,
)
from onboarding.imports.template_file import column_help, template_content, template_filename
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
    return render(request, "onboarding/import_upload.html", {"form": form, "columns": column_help()})


@hr_required
def import_template(request, export_format):
    if export_format not in CONTENT_TYPES:
        raise Http404
    return download_response(template_content(export_format), export_format=export_format, filename=template_filename())


@hr_required
def import_preview(request, pk):
    batch = get_batch_for_user(request.user, pk)
    if batch.applied_at is not None:
        context = {"batch": batch, "list_url": import_list_url(batch), "left_out": batch_left_out(batch)}
        return render(request, "onboarding/import_preview.html", context)
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
    applied = _applied(request, batch, lambda: newcomers_import(batch=batch, by=request.user))
    if applied is None:
        return redirect("import_preview", pk=batch.pk)
    messages.success(
        request,
        _("Import done. Created: %(created)s, updated: %(updated)s.")
        % {"created": applied.created_count, "updated": applied.updated_count},
    )
    return redirect(import_list_url(applied))


@require_POST
@hr_required
def import_confirm_valid(request, pk):
    batch = get_batch_for_user(request.user, pk)
    form = ImportValidRowsForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The confirmation was incomplete; nothing was imported. Please try again."))
        return redirect("import_preview", pk=batch.pk)
    counts = form.cleaned_data
    applied = _applied(request, batch, lambda: newcomers_import_valid(batch=batch, by=request.user, **counts))
    if applied is not None:
        messages.success(
            request,
            ngettext(
                "Import done. Created: %(created)s, updated: %(updated)s. %(left_out)s row with problems was left out.",
                "Import done. Created: %(created)s, updated: %(updated)s. "
                "%(left_out)s rows with problems were left out.",
                applied.left_out_count,
            )
            % {"created": applied.created_count, "updated": applied.updated_count, "left_out": applied.left_out_count},
        )
    return redirect("import_preview", pk=batch.pk)


def _applied(request, batch, apply):
    """The batch as ``apply`` left it, or None after telling HR why nothing was imported."""
    try:
        return apply()
    except ImportRefused as exc:
        messages.error(request, str(exc))
    except IntegrityError:
        messages.error(request, _("The newcomers changed while importing; nothing was imported. Please try again."))
    return None


@hr_required
def import_left_out(request, pk):
    """The rows with problems, in the upload's columns and format, with their problems: to fix and upload again."""
    batch = get_batch_for_user(request.user, pk)
    stored = batch_left_out(batch)
    if stored is None:
        raise Http404
    table = left_out_table(stored)
    return export_response(
        table.header,
        table.rows,
        export_format=table.export_format,
        filename=left_out_filename(batch.filename),
        title=_("Rows with problems"),
    )
