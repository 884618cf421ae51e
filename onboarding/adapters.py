from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """No public sign-up: HR or an administrator creates every account."""

    def is_open_for_signup(self, request):
        return False
