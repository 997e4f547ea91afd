from tests.security.authz import Case, public, scoped


def populate(world):
    from localities import services

    _invitation, world.invitation_token = services.invitation_create(
        actor=world.staff, email="new.coordinator@example.fi", locality=world.locality, side="culture"
    )


CASES = [
    # A valid invitation opens for anybody who holds the link (it is the credential).
    Case("localities:invitation-accept", public(200), kwargs=lambda w: {"token": w.invitation_token}),
    Case("localities:portal-detail", scoped(), kwargs=lambda w: {"slug": w.locality.slug}),
]
