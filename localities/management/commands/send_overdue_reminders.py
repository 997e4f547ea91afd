from django.core.management.base import BaseCommand

from localities import services


class Command(BaseCommand):
    help = "E-mail coordinators and staff their overdue pilot milestones and follow-up actions (once a day at most)."

    def handle(self, *args, **options):
        sent = services.overdue_reminders_send()
        self.stdout.write(self.style.SUCCESS(f"Overdue reminders sent: {sent}"))
