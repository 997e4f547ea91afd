from tests.security.authz import LOGIN, REDIRECT, Case, public, same


def populate(world):
    from django.core.files.base import ContentFile

    from kaikukeskus.models import Job

    # A finished background job of the coordinator's: only they see its page and download its file.
    world.job = Job.objects.create(owner=world.coordinator, kind="stats.annual_report", status=Job.Status.DONE)
    world.job.result.save("report.pdf", ContentFile(b"%PDF-"), save=False)
    world.job.result_name = "report.pdf"
    world.job.save()


# Another person's job is not there (national staff included: a job's file may be personal).
OWN_JOB = {"anonymous": 404, "own": 200, "other": 404, "staff": 404}

CASES = [
    Case("job-detail", OWN_JOB, kwargs=lambda w: {"pk": w.job.pk}),
    Case("job-download", OWN_JOB, kwargs=lambda w: {"pk": w.job.pk}),
    Case("health", public(200)),
    Case("favicon", same(REDIRECT)),
    Case("api-schema", public(200)),
    Case("api-docs", public(200)),
    Case("home", public(200)),
    Case("accessibility", public(200)),
    Case("privacy", public(200)),
    Case("contact", public(200)),
    Case("portal", {"anonymous": LOGIN, "own": 200, "other": 200, "staff": 200}),
    # "My account": everybody signed in edits their own, and only their own (no id in the address).
    Case("account", {"anonymous": LOGIN, "own": 200, "other": 200, "staff": 200}),
    # allauth's account pages: a logged-in user is sent on from the entrance pages, a visitor to login from
    # the management pages. There is no sign-up: the page says so to everybody.
    Case("account_login", {"anonymous": 200, "own": REDIRECT, "other": REDIRECT, "staff": REDIRECT}),
    Case("account_logout", {"anonymous": REDIRECT, "own": 200, "other": 200, "staff": 200}),
    Case("account_inactive", public(200)),
    Case("account_signup", {"anonymous": 200, "own": REDIRECT, "other": REDIRECT, "staff": REDIRECT}),
    Case("account_reauthenticate", {"anonymous": LOGIN, "own": 200, "other": 200, "staff": 200}),
    Case("account_request_reauthentication_code", {"anonymous": LOGIN, "own": 200, "other": 200, "staff": 200}),
    # Without a pending code these pages send the user back a step.
    Case(
        "account_confirm_reauthentication_code",
        {"anonymous": LOGIN, "own": REDIRECT, "other": REDIRECT, "staff": REDIRECT},
    ),
    Case("account_email", {"anonymous": LOGIN, "own": 200, "other": 200, "staff": 200}),
    Case("account_email_verification_sent", public(200)),
    Case("account_change_password", {"anonymous": LOGIN, "own": 200, "other": 200, "staff": 200}),
    Case("account_set_password", {"anonymous": LOGIN, "own": REDIRECT, "other": REDIRECT, "staff": REDIRECT}),
    Case("account_reset_password", {"anonymous": 200, "own": 200, "other": 200, "staff": 200}),
    Case("account_confirm_login_code", same(REDIRECT)),
    Case("account_confirm_email", public(200), kwargs=lambda w: {"key": "not-a-key"}),
    Case("account_reset_password_from_key_done", public(200)),
    Case(
        "account_reset_password_from_key",
        public(200),
        kwargs=lambda w: {"uidb36": "zz", "key": "set-password"},
    ),
    Case("account_reset_password_done", public(200)),
    Case("mfa_index", {"anonymous": LOGIN, "own": 200, "other": 200, "staff": 200}),
    Case("mfa_authenticate", {"anonymous": LOGIN, "own": REDIRECT, "other": REDIRECT, "staff": REDIRECT}),
    # Without TOTP set up, MFA reauthentication falls back to the password.
    Case("mfa_reauthenticate", {"anonymous": LOGIN, "own": REDIRECT, "other": REDIRECT, "staff": REDIRECT}),
    Case("mfa_activate_totp", {"anonymous": LOGIN, "own": REDIRECT, "other": REDIRECT, "staff": REDIRECT}),
    Case("mfa_deactivate_totp", {"anonymous": LOGIN, "own": 404, "other": 404, "staff": 404}),
    Case("mfa_view_recovery_codes", {"anonymous": LOGIN, "own": 404, "other": 404, "staff": 404}),
    Case(
        "mfa_generate_recovery_codes",
        {"anonymous": LOGIN, "own": REDIRECT, "other": REDIRECT, "staff": REDIRECT},
    ),
    Case("mfa_download_recovery_codes", {"anonymous": LOGIN, "own": 404, "other": 404, "staff": 404}),
]
