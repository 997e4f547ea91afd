from allauth.account.adapter import DefaultAccountAdapter

from kaikukeskus.ratelimit import client_ip


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # No public sign-up: coordinators join by a staff invitation (localities.services.invitation_create).
        return False

    def get_client_ip(self, request) -> str:
        """The login limits count per client address by the portal's one rule (`TRUSTED_PROXY_COUNT`)."""
        return client_ip(request) or super().get_client_ip(request)
