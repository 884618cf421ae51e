"""Roles are Django groups; this is the one place that asks who holds which."""

from onboarding.enums import Role


def role_names(user) -> frozenset[str]:
    """The user's role names, read once per request and kept on the user object.

    The menu, the access checks and the second-factor rule each ask; reading
    the groups every time takes the newcomer list from 6 to 14 queries (goal
    <= 10, benchmarks/newcomer_list.py) and the ceremony page from 9 to 16
    (<= 12, benchmarks/ceremony_list.py). The user object lives one request;
    services that change roles drop ``_role_names`` on it.
    """
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._role_names = cached
    return cached


def has_role(user, role: Role) -> bool:
    return role.value in role_names(user)


def is_hr(user) -> bool:
    return has_role(user, Role.HR)


def is_manager(user) -> bool:
    return has_role(user, Role.MANAGER)


def is_officiant(user) -> bool:
    return has_role(user, Role.OFFICIANT)


def role_labels(names) -> list[str]:
    """The readable (translated) labels of these role names, in the order given; unknown names as they are."""
    labels = dict(Role.choices)
    return [str(labels.get(name, name)) for name in names]
