"""Strings of Django, its admin and allauth that their own Finnish catalogues leave empty, or that they never
mark for translation (allauth's Authenticator model's name, shown in the admin's app list through
templates/admin/app_list.html). Our catalogue in locale/ translates them and takes precedence over theirs;
listing them here keeps `make messages` from dropping them as obsolete. Nothing imports this module.

The admin's JavaScript strings ("Choose all %s" and the like) are in locale/*/LC_MESSAGES/djangojs.po, which
`make messages` does not touch."""

from django.utils.translation import gettext_noop, ngettext_lazy, pgettext_lazy

UPSTREAM_STRINGS = (
    # django.contrib.admin
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("Error:"),
    gettext_noop("Forgotten your login credentials?"),
    gettext_noop("In case you’ve forgotten, you are:"),
    gettext_noop("Model name"),
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
    # django.forms
    gettext_noop("%(model)s instance with %(field)s %(value)r is not a valid choice."),
    # django.contrib.auth's password validators
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
    ),
    # django-post-office (the outbox's messages in the admin)
    gettext_noop("Post Office"),
    pgettext_lazy("Email address", "Email"),
    pgettext_lazy("Email addresses", "Emails"),
    gettext_noop("Log"),
    gettext_noop("Logs"),
    gettext_noop("To"),
    gettext_noop("Subject"),
    gettext_noop("Status"),
    gettext_noop("Last updated"),
    gettext_noop("Scheduled Time"),
    gettext_noop("sent"),
    gettext_noop("failed"),
    gettext_noop("queued"),
    gettext_noop("requeued"),
    # allauth
    gettext_noop("MFA"),
    gettext_noop("Authenticators"),
)
