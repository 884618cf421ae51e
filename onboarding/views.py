import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from eed.ceremonies.selectors import appointment_history
from onboarding import services
from onboarding.access import get_newcomer_for_user, hr_required
from onboarding.audit_selectors import history_rows, newcomer_history
from onboarding.csrf import csrf_protect_no_referrer
from onboarding.declaration_selectors import declaration_summary
from onboarding.enums import Kind, Role
from onboarding.exports import CONTENT_TYPES, table_export_response
from onboarding.filters import NewcomerFilter
from onboarding.forms import InviteForm, LanguageForm, NewcomerForm
from onboarding.models import Newcomer
from onboarding.roles import is_hr, is_manager, role_labels, role_names
from onboarding.selectors import dashboard_counts, local_today, newcomers_visible_to
from onboarding.tables import PAGE_SIZE, NewcomerTable


@login_required
def dashboard(request):
    user = request.user
    context = {"today": local_today()}
    if is_hr(user) or is_manager(user):
        context["counts"] = dashboard_counts(newcomers_visible_to(user, today=context["today"]), today=context["today"])
    return render(request, "onboarding/dashboard.html", context)


@login_required
def newcomer_list(request):
    user = request.user
    if not (is_hr(user) or is_manager(user)):
        raise PermissionDenied
    newcomer_filter = NewcomerFilter(request.GET or None, queryset=newcomers_visible_to(user), show_manager=is_hr(user))
    table = NewcomerTable(newcomer_filter.qs)
    export_format = request.GET.get("_export")
    if export_format in CONTENT_TYPES:
        RequestConfig(request, paginate=False).configure(table)
        filename = f"nieuwkomers-{local_today():%Y%m%d}"
        return table_export_response(table, export_format=export_format, filename=filename)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    return render(request, "onboarding/newcomer_list.html", {"filter": newcomer_filter, "table": table})


@login_required
def newcomer_detail(request, pk):
    newcomer = get_newcomer_for_user(request.user, pk)
    declaration = declaration_summary(newcomer) if newcomer.kind == Kind.EXTERNAL else None
    appointments = appointment_history(newcomer)
    context = {
        "newcomer": newcomer,
        "can_edit": is_hr(request.user),
        "declaration": declaration,
        "appointments": appointments if newcomer.needs_oath else None,
        "history": history_rows(newcomer_history(newcomer)) if is_hr(request.user) else None,
    }
    return render(request, "onboarding/newcomer_detail.html", context)


@hr_required
def newcomer_create(request):
    form = NewcomerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        newcomer = _save_or_report(form, lambda data: services.newcomer_create(by=request.user, **data))
        if newcomer is not None:
            messages.success(request, _("%(name)s has been registered.") % {"name": newcomer.full_name})
            return redirect("newcomer_detail", pk=newcomer.pk)
    return render(request, "onboarding/newcomer_form.html", {"form": form})


@hr_required
def newcomer_edit(request, pk):
    newcomer = get_newcomer_for_user(request.user, pk)
    form = NewcomerForm(request.POST or None, instance=get_object_or_404(Newcomer, pk=pk))
    if request.method == "POST" and form.is_valid():
        saved = _save_or_report(form, lambda data: services.newcomer_update(newcomer=newcomer, by=request.user, **data))
        if saved is not None:
            messages.success(request, _("The changes have been saved."))
            return redirect("newcomer_detail", pk=newcomer.pk)
    return render(request, "onboarding/newcomer_form.html", {"form": form, "newcomer": newcomer})


def _save_or_report(form, save):
    """Run the service; turn a late validation or constraint error into a form error."""
    try:
        return save(form.cleaned_data)
    except ValidationError as exc:
        form.add_error(None, exc)
    except IntegrityError:
        form.add_error("personnel_number", _("A newcomer with this personnel number already exists."))
    return None


@hr_required
def user_invite(request):
    """HR creates an account for a colleague; the invitation mail lets them choose a password.

    An address that already has an account is shown with its roles first; only
    HR's confirmation grants the missing ones (audited).
    """
    form = InviteForm(request.POST or None)
    existing = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_invite(
                email=data["email"],
                by=request.user,
                roles=[Role(value) for value in data["roles"]],
                first_name=data["first_name"],
                last_name=data["last_name"],
                language=data["language"],
                grant_existing=data["confirmed"] == form.confirmation(),
            )
        except services.ExistingAccount as found:
            existing = _existing_account_context(found)
            confirmed = request.POST.copy()
            confirmed["confirmed"] = form.confirmation()
            form = InviteForm(confirmed)
        else:
            messages.success(
                request,
                _("%(email)s can now log in; an invitation has been sent if the account is new.")
                % {"email": user.email},
            )
            return redirect("user_invite")
    return render(request, "onboarding/user_invite.html", {"form": form, "existing": existing})


def _existing_account_context(found) -> dict:
    return {
        "account": found.user,
        "held": role_labels(sorted(role_names(found.user))),
        "missing": role_labels(role.value for role in found.missing),
    }


@require_POST
@csrf_protect_no_referrer  # the newcomer's link page is sent with no-referrer: its switch posts with Origin: null
def language_set(request):
    """Switch the interface language; remembered on the account when signed in."""
    form = LanguageForm(request.POST)
    target = _safe_target(request, request.POST.get("next"), default="/")
    response = HttpResponseRedirect(target)  # a URL, never a view name: redirect("0") would try reverse()
    if form.is_valid():
        language = form.cleaned_data["language"]
        if request.user.is_authenticated and request.user.language != language:
            request.user.language = language
            request.user.save(update_fields=["language"])
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=365 * 24 * 3600,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


@login_required
def account_email(request):
    """Users do not change their own address (allauth would let them add one and make it primary unverified).

    HR's invitations and imports match accounts by address, so a self-chosen
    address could collect someone else's role. Changes are HR's (admin).
    """
    status = 405 if request.method not in ("GET", "HEAD") else 200
    return render(request, "account/email_managed.html", status=status)


def _safe_target(request, target: str | None, *, default: str) -> str:
    """``target`` when it is a URL on this site, else ``default`` (no open redirects)."""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def admin_login(request):
    """Django's admin login is no way in: it would take a password without the second factor or our limits.

    Everyone signs in through the app's login (allauth: MFA stage, rate limits),
    then comes back to the admin page they asked for.
    """
    target = _safe_target(request, request.GET.get("next"), default=reverse("admin:index"))
    if request.user.is_authenticated:
        if not request.user.is_staff:
            raise PermissionDenied
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(f"{reverse('account_login')}?{urlencode({'next': target})}")


# The date the accessibility statement was last reviewed; change it with the text.
ACCESSIBILITY_STATEMENT_DATE = datetime.date(2026, 11, 29)


def accessibility_statement(request):
    """The accessibility statement (toegankelijkheidsverklaring): public, linked from every page's footer."""
    return render(
        request,
        "onboarding/accessibility.html",
        {"statement_date": ACCESSIBILITY_STATEMENT_DATE, "hr_mailbox": settings.HR_MAILBOX},
    )
