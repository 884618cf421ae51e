"""Operations on newcomers and accounts.

Keyword-only functions named ``<entity>_<action>``; each holds its own
transaction and writes the audit trail. Views, forms and commands call these
and nothing else to change data.
"""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from onboarding.audit import audit_record, changed_fields, snapshot
from onboarding.deadlines import oath_deadline
from onboarding.declaration_services import declaration_request_send
from onboarding.enums import Kind, Role
from onboarding.mail_text import render_subject, render_text
from onboarding.models import Newcomer, User
from onboarding.roles import role_names

NEWCOMER_FIELDS = (
    "given_names",
    "surname_prefix",
    "surname",
    "email",
    "personnel_number",
    "start_date",
    "deadline",
    "kind",
    "manager",
    "appointing_body",
    "notes",
    "end_date",
    "language",
)


@transaction.atomic
def newcomer_create(*, by, **fields) -> Newcomer:
    newcomer = Newcomer(**fields)
    newcomer.deadline = oath_deadline(newcomer.start_date)
    newcomer.full_clean()
    newcomer.save()
    audit_record(actor=by, action="newcomer.create", target=newcomer, changes=snapshot(newcomer, NEWCOMER_FIELDS))
    if newcomer.kind == Kind.EXTERNAL and settings.DECLARATION_SEND_AUTOMATICALLY:
        declaration_request_send(newcomer=newcomer, by=by)
    return newcomer


@transaction.atomic
def newcomer_update(*, newcomer: Newcomer, by, **fields) -> Newcomer:
    newcomer = Newcomer.objects.select_for_update().get(pk=newcomer.pk)
    before = snapshot(newcomer, NEWCOMER_FIELDS)
    for name, value in fields.items():
        setattr(newcomer, name, value)
    if newcomer.start_date.isoformat() != before["start_date"]:
        newcomer.deadline = oath_deadline(newcomer.start_date)
    newcomer.full_clean()
    newcomer.save()
    changes = changed_fields(before, snapshot(newcomer, NEWCOMER_FIELDS))
    if changes:
        audit_record(actor=by, action="newcomer.update", target=newcomer, changes=changes)
    return newcomer


def role_group(role: Role) -> Group:
    group, _ = Group.objects.get_or_create(name=role.value)
    return group


class ExistingAccount(Exception):
    """The address belongs to an account that lacks some of the roles: HR must confirm before they are granted."""

    def __init__(self, user: User, missing: list[Role]):
        super().__init__(user.email)
        self.user, self.missing = user, missing


def user_roles_missing(user: User, roles) -> list[Role]:
    held = role_names(user)
    return [role for role in roles if role.value not in held]


@transaction.atomic
def user_roles_grant(*, user: User, roles, by, via: str = "") -> list[Role]:
    """Give an existing account the roles it lacks, each grant in the audit trail; returns the roles added."""
    missing = user_roles_missing(user, roles)
    if not missing:
        return []
    before = sorted(role_names(user))
    for role in missing:
        user.groups.add(role_group(role))
    user._role_names = None
    audit_record(
        actor=by,
        action="user.roles_grant",
        target=user,
        changes={"email": user.email, "added": [r.value for r in missing], "before": before},
        via=via,
    )
    return missing


@transaction.atomic
def user_invite(
    *, email: str, by, roles=(), first_name="", last_name="", language="nl", grant_existing: bool = False
) -> User:
    """Create an account (no password yet) and mail an invitation to set one.

    Accounts are never self-registered; this is the only way in besides the
    Django admin. An address that already has an account never gains a role
    silently: without ``grant_existing`` (HR saw the account and confirmed)
    ``ExistingAccount`` is raised; with it the grant is audited.
    """
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        missing = user_roles_missing(user, roles)
        if missing and not grant_existing:
            raise ExistingAccount(user, missing)
        user_roles_grant(user=user, roles=missing, by=by)
        return user
    user = User(email=email, first_name=first_name, last_name=last_name, language=language)
    user.set_unusable_password()
    user.save()
    for role in roles:
        user.groups.add(role_group(role))
    user._role_names = None
    audit_record(
        actor=by, action="user.invite", target=user, changes={"email": email, "roles": [r.value for r in roles]}
    )
    invitation_send(user=user)
    return user


def users_invite_many(*, emails, by, role: Role) -> dict[str, User]:
    """Existing users by lower-cased e-mail, inviting the ones that are new.

    Existing accounts that lack ``role`` get it with an audited grant: the
    import's preview listed them and HR confirmed it.
    """
    wanted = {email.strip().lower() for email in emails if email}
    existing = {user.email.lower(): user for user in User.objects.filter(email__in=wanted)}
    for user in User.objects.filter(pk__in=[u.pk for u in existing.values()]).exclude(groups__name=role.value):
        user_roles_grant(user=user, roles=[role], by=by, via="import")
    for email in sorted(wanted - existing.keys()):
        existing[email] = user_invite(email=email, by=by, roles=[role])
    return existing


def invitation_link(user: User) -> str:
    """A password-set link built on allauth's password reset, valid for PASSWORD_RESET_TIMEOUT."""
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)},
    )
    return settings.SITE_URL + path


def invitation_send(*, user: User) -> None:
    context = {
        "user": user,
        "link": invitation_link(user),
        "login_url": settings.SITE_URL + reverse("account_login"),
        "organisation": settings.ORGANISATION_NAME,
    }
    with translation.override(user.language):
        subject = render_subject("onboarding/email/invitation_subject.txt", context)
        body = render_text("onboarding/email/invitation.txt", context)
    EmailMultiAlternatives(subject=subject, body=body, to=[user.email]).send()
