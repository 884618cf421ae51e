"""Operations on accounts: invite users, grant roles, send the invitation (again), deactivate and reactivate."""

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from core.links import absolute_reverse, absolute_url
from onboarding.accounts.roles import role_names
from onboarding.audit.trail import audit_record
from onboarding.enums import Role
from onboarding.mail.messages import mail_message
from onboarding.models import User


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
    return absolute_url(path)


def invitation_send(*, user: User) -> None:
    context = {
        "user": user,
        "link": invitation_link(user),
        "login_url": absolute_reverse("account_login"),
    }
    mail_message(template="onboarding/email/invitation", context=context, to=user.email, language=user.language).send()


@transaction.atomic
def invitation_resend(*, user: User, by) -> None:
    """Mail a fresh invitation to someone who never logged in (the earlier link may have expired)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        raise ValidationError(_("This account is deactivated: reactivate it first."))
    if user.last_login is not None:
        raise ValidationError(
            _("%(email)s has logged in before; they can reset their own password.") % {"email": user.email}
        )
    invitation_send(user=user)
    audit_record(actor=by, action="user.invitation_resend", target=user, changes={"email": user.email})


def user_deactivate(*, user: User, by) -> User:
    """The account can no longer log in, and its sessions and calendar feed stop working; nothing is deleted."""
    return _user_set_active(user=user, by=by, active=False)


def user_reactivate(*, user: User, by) -> User:
    return _user_set_active(user=user, by=by, active=True)


@transaction.atomic
def _user_set_active(*, user: User, by, active: bool) -> User:
    if user.pk == by.pk:
        raise ValidationError(_("You cannot change your own account here."))
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_superuser and not by.is_superuser:
        raise ValidationError(_("Administrators' accounts are managed in the administration."))
    if user.is_active == active:
        return user
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit_record(
        actor=by,
        action="user.reactivate" if active else "user.deactivate",
        target=user,
        changes={"email": user.email, "is_active": {"before": not active, "after": active}},
    )
    return user
