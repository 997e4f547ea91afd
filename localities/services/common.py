"""What the localities' services share: the reasons their history rows give, and the check that a service
taking a row's fields as keywords writes only those it names."""

from django.utils.translation import gettext_lazy as _l

from kaikukeskus import history


def _refuse_unknown(values: dict, allowed: frozenset[str]) -> None:
    """A service that takes a row's fields as keywords writes only those it names (never a status or who)."""
    unknown = set(values) - allowed
    if unknown:
        raise TypeError(f"cannot write {', '.join(sorted(unknown))}")


history.register_reasons(
    {
        "status": _l("Status changed"),
        "done": _l("Marked done"),
        "corrected": _l("Corrected"),
        "reopened": _l("Reopened"),
        "logged": _l("Logged"),
        "message written": _l("Message written"),
        "approved": _l("Approved"),
        "declined": _l("Declined"),
        "pilot rescheduled": _l("Pilot rescheduled"),
        "rescheduled": _l("Rescheduled"),
    }
)
