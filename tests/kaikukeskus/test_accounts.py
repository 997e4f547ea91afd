import datetime
import re

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.utils import timezone

from localities import services
from localities.models import Coordinator, Invitation
from tests.kaikukeskus.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_user_logs_in_with_email_and_lands_in_portal(client, coordinator, password):
    response = client.post("/accounts/login/", {"login": coordinator.email.upper(), "password": password})
    assert response.status_code == 302
    assert response.headers["Location"] == "/portal/"


def test_wrong_password_and_unknown_email_answer_the_same(client, coordinator):
    wrong_password = client.post("/accounts/login/", {"login": coordinator.email, "password": "not-the-password"})
    unknown_email = client.post("/accounts/login/", {"login": "nobody@nowhere.fi", "password": "not-the-password"})
    assert wrong_password.status_code == unknown_email.status_code == 200
    assert wrong_password.context["form"].errors == unknown_email.context["form"].errors
    assert "Annettu sähköposti tai salasana ei ole oikein." in wrong_password.content.decode()


def test_repeated_failed_logins_are_rate_limited(client, coordinator):
    for _attempt in range(5):
        client.post("/accounts/login/", {"login": coordinator.email, "password": "wrong-password"})
    response = client.post("/accounts/login/", {"login": coordinator.email, "password": "wrong-password"})
    assert response.status_code == 429 or "Liian monta" in response.content.decode()


def test_there_is_no_public_sign_up(client):
    response = client.post(
        "/accounts/signup/",
        {"email": "new@example.fi", "password1": "a-long-password-1", "password2": "a-long-password-1"},
    )
    assert response.status_code == 200
    assert not UserFactory._meta.model.objects.filter(email="new@example.fi").exists()


def test_password_reset_does_not_tell_who_has_an_account(client, coordinator):
    known = client.post("/accounts/password/reset/", {"email": coordinator.email})
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@nowhere.fi"})
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]


def _invite(staff, locality, email="new.coordinator@example.fi", language="fi"):
    with_token = services.invitation_create(
        actor=staff, email=email, locality=locality, side="social_health", language=language
    )
    return with_token


def test_staff_invitation_mails_a_single_use_link(django_capture_on_commit_callbacks, staff, locality):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, token = _invite(staff, locality, email="Uusi.Koordinaattori@Example.fi", language="sv")
    assert invitation.email == "uusi.koordinaattori@example.fi"
    assert invitation.token_hash != token  # only the hash is stored
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["uusi.koordinaattori@example.fi"]
    assert f"/sv/accounts/invitation/{token}/" in message.body
    assert "Kajana" in message.body  # the locality's Swedish name: the e-mail is in the invitee's language


def test_invitee_sets_a_password_and_lands_in_the_portal(client, staff, locality):
    _invitation, token = _invite(staff, locality)
    url = f"/accounts/invitation/{token}/"
    assert client.get(url).status_code == 200

    response = client.post(url, {"password1": "uusi-salasana-2026", "password2": "uusi-salasana-2026"})
    assert response.status_code == 302 and response.headers["Location"] == "/portal/"
    assert locality.name_fi in client.get("/portal/").content.decode()
    membership = Coordinator.objects.get(user__email="new.coordinator@example.fi")
    assert membership.locality == locality and membership.side == "social_health"
    assert membership.user.emailaddress_set.get().verified

    client.logout()
    assert client.get(url).status_code == 404  # single use
    login = client.post("/accounts/login/", {"login": "new.coordinator@example.fi", "password": "uusi-salasana-2026"})
    assert login.headers["Location"] == "/portal/"


def test_bad_passwords_get_errors_next_to_the_field_and_the_link_stays_usable(client, staff, locality):
    _invitation, token = _invite(staff, locality)
    url = f"/accounts/invitation/{token}/"
    response = client.post("/en" + url, {"password1": "123", "password2": "123"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_password1_error"' in html and 'aria-invalid="true"' in html
    assert "This password is too short" in html
    assert 'class="error-summary"' in html and 'href="#id_password1"' in html
    mismatch = client.post("/en" + url, {"password1": "uusi-salasana-2026", "password2": "toinen-salasana-2026"})
    assert "The two passwords differ" in mismatch.content.decode()
    assert Invitation.objects.get().accepted_at is None


def test_expired_invitation_is_refused(client, staff, locality):
    invitation, token = _invite(staff, locality)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    response = client.get(f"/en/accounts/invitation/{token}/")
    assert response.status_code == 404
    assert "has already been used or has expired" in response.content.decode()


def test_existing_user_accepts_while_logged_in(client, staff, locality, other_coordinator):
    _invitation, token = _invite(staff, locality, email=other_coordinator.email)
    url = f"/accounts/invitation/{token}/"
    anonymous = client.post("/en" + url, {"password1": "uusi-salasana-2026", "password2": "uusi-salasana-2026"})
    assert "Log in first" in anonymous.content.decode()  # no taking over an existing account

    client.force_login(other_coordinator)
    response = client.post(url)
    assert response.headers["Location"] == "/portal/"
    assert Coordinator.objects.active().filter(user=other_coordinator).count() == 2


def test_only_staff_can_invite(coordinator, locality):
    with pytest.raises(services.PermissionDenied, match="Vain Kaikukeskuksen henkilökunta voi tehdä tämän"):
        services.invitation_create(actor=coordinator, email="x@example.fi", locality=locality, side="culture")
    assert not Invitation.objects.exists()
    assert not mail.outbox


def test_unused_invitations_are_forgotten_after_expiry(staff, locality):
    invitation, _token = _invite(staff, locality)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(days=31))
    assert services.invitations_purge_expired() == 1
    assert not Invitation.objects.exists()


def test_staff_must_set_up_mfa_before_the_admin_when_required(staff_client, staff, settings):
    settings.STAFF_MFA_REQUIRED = True
    response = staff_client.get("/admin/")
    assert response.status_code == 302 and response.headers["Location"] == "/accounts/2fa/totp/activate/"
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    assert staff_client.get("/admin/").status_code == 200


def test_coordinator_cannot_use_the_admin(coordinator_client):
    response = coordinator_client.get("/admin/")
    assert response.status_code == 302 and re.match(r"^/admin/login/", response.headers["Location"])


def test_staff_group_has_permissions_on_portal_models(staff):
    assert staff.is_national_staff
    assert staff.has_perm("localities.change_locality")
    assert staff.has_perm("localities.add_invitation")
    assert not staff.has_perm("auth.change_group")


def test_failed_logins_lock_an_account_only_for_the_address_they_came_from(client, coordinator, password, settings):
    """Five wrong passwords from one address: that address is refused for this account, even with the right
    password; the person, from their own address, logs in. Another account from the attacker's address is
    limited by the per-address count (10 a minute) only."""
    settings.TRUSTED_PROXY_COUNT = 0
    attacker, owner = {"REMOTE_ADDR": "203.0.113.7"}, {"REMOTE_ADDR": "198.51.100.20"}
    limited = "Liian monta"
    for _attempt in range(5):
        answer = client.post("/accounts/login/", {"login": coordinator.email, "password": "wrong"}, **attacker)
        assert limited not in answer.content.decode()
    refused = client.post("/accounts/login/", {"login": coordinator.email, "password": password}, **attacker)
    assert refused.status_code == 200 and limited in refused.content.decode()
    # The same account from the owner's address: not locked.
    response = client.post("/accounts/login/", {"login": coordinator.email, "password": password}, **owner)
    assert response.status_code == 302 and response.headers["Location"] == "/portal/"
    client.logout()
    # Another account from the attacker's address: 4 more failures fit in its per-address 10 a minute.
    for _attempt in range(4):
        answer = client.post("/accounts/login/", {"login": "someone@example.fi", "password": "wrong"}, **attacker)
        assert limited not in answer.content.decode()
    answer = client.post("/accounts/login/", {"login": "someone@example.fi", "password": "wrong"}, **attacker)
    assert limited in answer.content.decode()
