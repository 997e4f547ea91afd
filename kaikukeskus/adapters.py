from allauth.account.adapter import DefaultAccountAdapter

from kaikukeskus.ratelimit import client_ip, client_key


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # No public sign-up: coordinators join by a staff invitation (localities.services.invitation_create).
        return False

    def get_client_ip(self, request) -> str:
        """The login limits count per client address by the portal's one rule (`TRUSTED_PROXY_COUNT`)."""
        return client_ip(request) or super().get_client_ip(request)

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        """The key of allauth's `login_failed` limit ("5/5m/key"): the account and the client's address together.
        allauth's own key is the account alone, so five wrong passwords from anywhere locked the account for
        everyone for five minutes; now they lock it only for the address they came from. The per-address limit
        ("10/m/ip") still counts every account tried from one address. allauth (65.x) offers no setting for this
        key; this method is where it makes it (and clears it on a password reset), and
        tests/kaikukeskus/test_accounts.py fails if an upgrade stops calling it."""
        return f"{super()._get_login_attempts_cache_key(request, **credentials)}:{client_key(request)}"
