from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnboardingConfig(AppConfig):
    name = "onboarding"
    verbose_name = _("Onboarding")

    def ready(self):
        # Session stamps for the login-time, idle and second-factor checks
        # (onboarding.accounts.security); they keep no business logic.
        from allauth.mfa import signals as mfa_signals
        from django.contrib.auth.signals import user_logged_in

        from core import languages
        from onboarding.accounts import security as account_security

        user_logged_in.connect(account_security.on_user_logged_in, dispatch_uid="onboarding.session_stamp_login")
        user_logged_in.connect(languages.adopt_chosen_language, dispatch_uid="onboarding.adopt_chosen_language")
        mfa_signals.authenticator_added.connect(
            account_security.on_authenticator_added, dispatch_uid="onboarding.mfa_added"
        )
        mfa_signals.authenticator_removed.connect(
            account_security.on_authenticator_removed, dispatch_uid="onboarding.mfa_removed"
        )
