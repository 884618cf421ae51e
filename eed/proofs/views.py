"""Ceremony-day pages: the attendance sheet, the PDFs to print, corrections and the signed scans.

The sheet and the ceremony's PDFs are for HR and the ceremony's officiant;
proofs of one newcomer, scans and corrections are for HR.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.responses import PDF, file_response
from eed.ceremonies.access import get_ceremony_for_staff
from eed.ceremonies.selectors import current_appointments, recorded_appointments, sees_adapted_manner_requests
from eed.enums import CeremonyState
from eed.models import Appointment, Ceremony
from eed.proofs import attendance, certificates, corrections, documents
from eed.proofs.access import get_certificate
from eed.proofs.forms import CorrectionForm, ScanUploadForm, attendance_formset, attendance_rows
from onboarding.accounts.access import hr_required


def _day(ceremony: Ceremony) -> str:
    return f"{timezone.localtime(ceremony.starts_at):%Y-%m-%d}"


@login_required
def attendance_sheet(request, pk):
    """One row per newcomer: taken or absent, the form used, adapted manner, the witness present.

    ``?fill=taken`` ("Everyone took it") opens the sheet with every row taken, each newcomer's chosen form
    and the planned witness filled in, for HR or the officiant to adjust. A valid sheet first comes back
    as a review of what will be recorded (the sheet in hidden fields); "Record and close" (``step=record``)
    records it, "Back to the sheet" (``step=back``) reopens it as filled in.
    """
    ceremony = get_ceremony_for_staff(request.user, pk)
    if ceremony.state != CeremonyState.PLANNED:
        if request.method == "POST" and ceremony.state == CeremonyState.HELD:
            messages.error(request, attendance.already_recorded())
        context = {"ceremony": ceremony, "recorded": recorded_appointments(ceremony)}
        return render(request, "eed/attendance_sheet.html", context)
    if not attendance.has_taken_place(ceremony):
        return render(request, "eed/attendance_sheet.html", {"ceremony": ceremony, "not_yet": True})
    appointments = list(current_appointments(ceremony))
    show_requests = sees_adapted_manner_requests(request.user)
    data = request.POST if request.method == "POST" else None
    everyone_taken = data is None and request.GET.get("fill") == "taken"
    formset = attendance_formset(appointments, data, with_requests=show_requests, everyone_taken=everyone_taken)
    step = request.POST.get("step")
    if request.method == "POST" and step != "back" and formset.is_valid():
        response = _review_or_record(request, ceremony, formset, appointments, record=step == "record")
        if response is not None:
            return response
    rows = list(zip(formset.forms, appointments, strict=False))
    context = {
        "ceremony": ceremony,
        "formset": formset,
        "rows": rows,
        "show_requests": show_requests,
        "everyone_taken": everyone_taken,
        "no_form_chosen": [appointment for appointment in appointments if not appointment.form],
    }
    return render(request, "eed/attendance_sheet.html", context)


def _review_or_record(request, ceremony, formset, appointments, *, record: bool):
    """The review page, or (confirmed) the recorded ceremony; None to show the sheet again with the reason."""
    rows = attendance_rows(formset)
    try:
        if not record:
            lines = attendance.attendance_review(rows=rows, appointments=appointments)
            taken, absent = [line for line in lines if line.taken], [line for line in lines if not line.taken]
            context = {"ceremony": ceremony, "formset": formset, "taken": taken, "absent": absent}
            return render(request, "eed/attendance_review.html", context)
        attendance.ceremony_record_attendance(ceremony=ceremony, by=request.user, rows=rows)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return None
    messages.success(request, _("The attendance has been recorded and the proofs are ready to print."))
    return redirect("ceremony_detail", pk=ceremony.pk)


@login_required
def ceremony_proofs(request, pk):
    """All proofs of a held ceremony in one PDF, to print and sign in the room."""
    ceremony = get_ceremony_for_staff(request.user, pk)
    content = documents.ceremony_proofs_pdf(ceremony)
    if content is None:
        messages.info(request, _("There are no proofs yet: record the attendance first."))
        return redirect("ceremony_detail", pk=ceremony.pk)
    return file_response(content, filename=f"bewijzen-{_day(ceremony)}.pdf", content_type=PDF)


@login_required
def ceremony_attendance_list(request, pk):
    ceremony = get_ceremony_for_staff(request.user, pk)
    content = documents.ceremony_attendance_pdf(ceremony, language=request.LANGUAGE_CODE)
    return file_response(content, filename=f"presentielijst-{_day(ceremony)}.pdf", content_type=PDF)


@hr_required
def certificate_pdf(request, pk):
    """One proof; ``?language=en`` prints it in English."""
    certificate = get_certificate(pk)
    content = documents.certificate_pdf(certificate, language=request.GET.get("language"))
    return file_response(content, filename=f"{certificate.number}.pdf", content_type=PDF)


@hr_required
@require_POST
def certificate_scan_upload(request, pk):
    certificate = get_certificate(pk)
    form = ScanUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            certificates.certificate_scan_attach(
                certificate=certificate, by=request.user, upload=form.cleaned_data["scan"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The signed scan has been stored."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("newcomer_detail", pk=certificate.appointment.newcomer_id)


@hr_required
def certificate_scan(request, pk):
    """The signed scan, for HR only (scans are never served as public media)."""
    certificate = get_certificate(pk)
    if not certificate.scan:
        raise Http404
    extension = certificate.scan.name.rsplit(".", 1)[-1]
    return file_response(
        certificate.scan.open("rb"),
        filename=f"{certificate.number}-getekend.{extension}",
        content_type=certificate.scan_content_type or "application/octet-stream",
    )


@hr_required
def appointment_correct(request, pk):
    """Correct a recorded outcome, with a reason; the original values stay in the history."""
    appointment = get_object_or_404(
        Appointment.objects.select_related("newcomer", "ceremony", "witness", "witness_present"), pk=pk
    )
    if not appointment.outcome:
        raise Http404
    initial = {
        "outcome": appointment.outcome,
        "form_used": appointment.form_used,
        "adapted_manner_used": appointment.adapted_manner_used,
        "witness_present": appointment.witness_present_id,
        "witness_present_name": appointment.witness_present_name,
    }
    form = CorrectionForm(request.POST or None, initial=initial, appointment=appointment)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in attendance.RECORDED_FIELDS}
        try:
            corrections.appointment_correct(
                appointment=appointment, by=request.user, reason=form.cleaned_data["reason"], **values
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The correction has been recorded."))
            return redirect("newcomer_detail", pk=appointment.newcomer_id)
    return render(request, "eed/appointment_correct.html", {"form": form, "appointment": appointment})
