"""Account pages: HR's list of accounts and its actions, inviting users, the language switch, the managed
e-mail page, the admin's login door and the accessibility statement.
"""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from core.csrf import csrf_protect_no_referrer
from onboarding.accounts import services
from onboarding.accounts.access import account_for_hr, hr_required
from onboarding.accounts.filters import AccountFilter
from onboarding.accounts.forms import InviteForm, LanguageForm
from onboarding.accounts.roles import role_labels, role_names
from onboarding.accounts.selectors import accounts_listed
from onboarding.accounts.tables import PAGE_SIZE, AccountTable
from onboarding.enums import Role


@hr_required
def user_list(request):
    """HR's *Accounts*: every account with its roles and state, filtered and paginated (constant queries)."""
    account_filter = AccountFilter(request.GET or None, queryset=accounts_listed())
    table = AccountTable(account_filter.qs)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    return render(request, "onboarding/user_list.html", {"filter": account_filter, "table": table})


@hr_required
@require_POST
def user_deactivate(request, pk):
    return _account_action(request, pk, services.user_deactivate, _("%(email)s can no longer log in."))


@hr_required
@require_POST
def user_reactivate(request, pk):
    return _account_action(request, pk, services.user_reactivate, _("%(email)s can log in again."))


@hr_required
@require_POST
def user_invitation_resend(request, pk):
    return _account_action(request, pk, services.invitation_resend, _("A new invitation has been sent to %(email)s."))


def _account_action(request, pk, operation, done: str):
    """Run one of the Accounts page's operations on the account; back to the list as it was (filters, page)."""
    account = account_for_hr(pk)
    try:
        operation(user=account, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done % {"email": account.email})
    query = request.GET.urlencode()
    return redirect(f"{reverse('user_list')}?{query}" if query else reverse("user_list"))


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
