from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # No public sign-up: coordinators join by a staff invitation (localities.services.invitation_create).
        return False
