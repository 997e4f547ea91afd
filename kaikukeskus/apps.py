from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_staff_group(sender, **kwargs) -> None:
    from django.contrib.auth.management import create_permissions

    from kaikukeskus.roles import sync_staff_group

    # This handler may run before auth's own for the app that sent the signal (ours connects first, as
    # kaikukeskus is the first app): the app's permissions are created here so that the last app's join too.
    create_permissions(
        sender, verbosity=0, using=kwargs.get("using", "default"), apps=kwargs.get("apps") or global_apps
    )
    sync_staff_group()


class KaikukeskusConfig(AppConfig):
    name = "kaikukeskus"
    verbose_name = _("Kaikukeskus portal")

    def ready(self) -> None:
        from post_office.signals import email_queued

        from kaikukeskus import checks  # noqa: F401 - registers the system checks
        from kaikukeskus.mail import deliver_after_commit
        from kaikukeskus.search import set_name_similarity_threshold

        # Every queued e-mail (ours and Django's send_mail through post_office's backend) is delivered after commit.
        email_queued.connect(deliver_after_commit, dispatch_uid="kaikukeskus-outbox")

        # Permissions of models added by later migrations join the staff group after every migrate.
        post_migrate.connect(_sync_staff_group, dispatch_uid="kaikukeskus-sync-staff-group")

        # The site search's name similarity threshold, on each new database connection.
        connection_created.connect(set_name_similarity_threshold, dispatch_uid="kaikukeskus-search-similarity")
