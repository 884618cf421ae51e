from django.conf import settings

from onboarding.accounts.roles import is_hr, is_manager, is_officiant


def navigation(request):
    """Which menu items the signed-in user may see."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {}, "ORGANISATION_NAME": settings.ORGANISATION_NAME}
    return {
        "ORGANISATION_NAME": settings.ORGANISATION_NAME,
        "nav": {
            "hr": is_hr(user),
            "manager": is_manager(user),
            "officiant": is_officiant(user),
            "admin": user.is_staff,
        },
    }
