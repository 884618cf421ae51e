"""Integrity declaration pages: the public signing link, and HR's send, withdraw, PDF and overview.

The public views need no account. They answer every unusable link with the
same page (nothing tells whether a person exists); ``core.public_pages`` limits
them per client address and sends ``Referrer-Policy: no-referrer`` and
``Cache-Control: no-store`` so the link leaks neither to other sites nor into
caches.
"""

import logging

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST
from django_tables2 import RequestConfig

from core.clock import local_today
from core.csrf import csrf_protect_no_referrer
from core.dates import text_date
from core.exports import CONTENT_TYPES, export_response
from core.languages import SUPPORTED_LANGUAGES
from core.public_pages import public_page
from core.ratelimit import client_ip
from core.responses import PDF, file_response
from onboarding.accounts.access import hr_required
from onboarding.declarations import bulk, services
from onboarding.declarations.access import get_signature_for_user
from onboarding.declarations.exports import declaration_export_header, declaration_export_rows
from onboarding.declarations.filters import ExternalDeclarationFilter
from onboarding.declarations.forms import (
    DeclarationSendForm,
    DeclarationSendManyForm,
    DeclarationSignForm,
    DeclarationWithdrawForm,
)
from onboarding.declarations.selectors import (
    externals_overview,
    link_state,
    page_text,
    signature_pdf,
    signature_valid_for,
)
from onboarding.declarations.tables import ExternalDeclarationTable
from onboarding.models import DeclarationSignature
from onboarding.newcomers.access import get_newcomer_for_user
from onboarding.newcomers.exports import ordered_rows
from onboarding.newcomers.tables import PAGE_SIZE

logger = logging.getLogger(__name__)

SIGN_TEMPLATE = "onboarding/declaration_sign.html"
# The signing page and its PDF: GETs and POSTs limited apart, the language picked with ?lang=.
public_link = public_page(
    scope="declaration",
    limit="DECLARATION_GETS_PER_MINUTE",
    post_limit="DECLARATION_POSTS_PER_MINUTE",
    query_language=True,
)


def _link_unusable(request) -> HttpResponse:
    return render(request, "onboarding/declaration_link_invalid.html", status=404)


def _page_language(request, link) -> str:
    """The language picked on the page (?lang=, or the form's), else the one HR sent the link in."""
    picked = request.POST.get("language") if request.method == "POST" else request.GET.get("lang")
    return picked if picked in SUPPORTED_LANGUAGES else link.language


@public_link
@csrf_protect_no_referrer
@require_http_methods(["GET", "POST"])
def declaration_sign(request, token):
    """GET shows the declaration (or "signed on ..."), POST signs it."""
    posting = request.method == "POST"
    try:
        link = link_state(token) if posting else services.declaration_open(raw_token=token)
    except services.DeclarationLinkInvalid:
        link = None
    if link is None:
        return _link_unusable(request)
    if link.is_signed:
        return _signed_page(request, token, link)
    language = _page_language(request, link)
    with translation.override(language):
        shown = page_text(language, fresh=posting)
        if shown is None:
            logger.error("No integrity declaration text is in force: add one in the admin (Texts).")
            return _link_unusable(request)
        data = request.POST if posting else None
        form = DeclarationSignForm(data, registered_name=link.full_name, initial={"language": language})
        if form.is_valid():
            try:
                _sign(request, token, form.cleaned_data)
            except services.DeclarationLinkInvalid:
                return _link_unusable(request)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return redirect("declaration_sign", token=token)
        context = {"link": link, "form": form, "shown": shown, "code_of_conduct_url": settings.CODE_OF_CONDUCT_URL}
        response = render(request, SIGN_TEMPLATE, context)
    response["Content-Language"] = language
    return response


def _sign(request, token, data) -> DeclarationSignature:
    return services.declaration_sign(
        raw_token=token,
        typed_name=data["full_name"],
        confirmed=data["confirmed"],
        ip=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
        language=data["language"],
        shown_sha256=data["text_sha256"],
    )


def _signed_page(request, token, link) -> HttpResponse:
    signature = signature_valid_for(link.newcomer_id)
    language = _page_language(request, link)
    with translation.override(language):
        response = render(request, "onboarding/declaration_signed.html", {"signature": signature, "token": token})
    response["Content-Language"] = language
    return response


@public_link
@require_http_methods(["GET"])
def declaration_pdf(request, token):
    """The signer's PDF copy, through the same link."""
    link = link_state(token)
    if link is None or not link.is_signed:
        return _link_unusable(request)
    return _pdf_response(signature_valid_for(link.newcomer_id))


def _pdf_response(signature: DeclarationSignature) -> HttpResponse:
    filename = f"integriteitsverklaring-{signature.signed_at:%Y%m%d}-{signature.verification_code}.pdf"
    return file_response(signature_pdf(signature), filename=filename, content_type=PDF)


@hr_required
@require_POST
def declaration_send(request, pk):
    """Send (or resend, invalidating the old link) the declaration request."""
    newcomer = get_newcomer_for_user(request.user, pk)
    form = DeclarationSendForm(request.POST)
    language = form.cleaned_data["language"] if form.is_valid() else None
    try:
        sent = services.declaration_request_send(newcomer=newcomer, by=request.user, language=language)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The declaration link has been sent to %(email)s; it is valid until %(date)s.")
            % {"email": newcomer.email, "date": text_date(sent.expires_at)},
        )
    return redirect("newcomer_detail", pk=newcomer.pk)


@hr_required
def declaration_withdraw(request, pk):
    signature = get_signature_for_user(request.user, pk)
    if signature.is_withdrawn:
        messages.info(request, _("This signature has already been withdrawn."))
        return redirect("newcomer_detail", pk=signature.newcomer_id)
    form = DeclarationWithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.declaration_withdraw(signature=signature, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The signature has been withdrawn; the external can be sent a new link."))
            return redirect("newcomer_detail", pk=signature.newcomer_id)
    return render(request, "onboarding/declaration_withdraw.html", {"form": form, "signature": signature})


@hr_required
def declaration_pdf_for_hr(request, pk):
    """The PDF of the valid signature, else of the latest withdrawn one."""
    newcomer = get_newcomer_for_user(request.user, pk)
    signature = signature_valid_for(newcomer.pk) or (
        DeclarationSignature.objects.select_related("request", "text", "newcomer")
        .filter(newcomer=newcomer)
        .order_by("-id")
        .first()
    )
    if signature is None:
        raise Http404
    return _pdf_response(signature)


@hr_required
def declaration_list(request):
    """Every external and their declaration, with filters and CSV/XLSX export."""
    declaration_filter = ExternalDeclarationFilter(request.GET or None, queryset=externals_overview())
    table = ExternalDeclarationTable(declaration_filter.qs)
    export_format = request.GET.get("_export")
    if export_format in CONTENT_TYPES:
        RequestConfig(request, paginate=False).configure(table)
        return export_response(
            declaration_export_header(),
            declaration_export_rows(ordered_rows(table)),
            export_format=export_format,
            filename=f"integriteitsverklaringen-{local_today():%Y%m%d}",
            title=_("Integrity declarations"),
        )
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    context = {
        "filter": declaration_filter,
        "table": table,
        "needing_link": bulk.needing_link(declaration_filter.qs).count(),
        "filter_params": [(name, value) for name in FILTER_PARAMS for value in request.GET.getlist(name)],
    }
    return render(request, "onboarding/declaration_list.html", context)


FILTER_PARAMS = ("q", "status", "started_unsigned")


@hr_required
@require_POST
def declaration_send_many(request):
    """From the overview: first who would get the link (the ticked, or all the filter finds), then send."""
    form = DeclarationSendManyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This selection cannot be read; please reload the page and try again."))
        return redirect("declaration_list")
    data = form.cleaned_data
    if data["confirmed"]:
        report = bulk.declaration_request_send_many(newcomer_ids=data["newcomer"], by=request.user)
        _send_report(request, report)
        return redirect("declaration_list")
    if data["scope"] == "filter":
        chosen = ExternalDeclarationFilter(request.POST, queryset=externals_overview()).qs
    else:
        chosen = externals_overview().filter(pk__in=data["newcomer"])
    people = list(bulk.needing_link(chosen).order_by("surname", "given_names", "pk"))
    if not people:
        messages.error(request, _("None of the chosen externals needs a link now: tick those without a valid link."))
        return redirect("declaration_list")
    context = {"people": people, "left_out": len(data["newcomer"]) - len(people) if data["scope"] == "selected" else 0}
    return render(request, "onboarding/declaration_send_many.html", context)


def _send_report(request, report) -> None:
    sent = ngettext("%(count)d link sent.", "%(count)d links sent.", len(report.sent)) % {"count": len(report.sent)}
    if not report.failed:
        messages.success(request, sent)
        return
    reasons = "; ".join(f"{person.full_name}: {why}" for person, why in report.failed)
    failed = ngettext("%(count)d failed: %(reasons)s", "%(count)d failed: %(reasons)s", len(report.failed))
    messages.warning(request, f"{sent} {failed % {'count': len(report.failed), 'reasons': reasons}}")
