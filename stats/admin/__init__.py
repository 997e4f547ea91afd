"""Staff's side of the statistics: reporting rounds with their completeness and timeliness, and the review queue
of the localities' reports. Every change goes through `stats.services` (opening, closing, reminding, approving,
returning, reopening, importing); the reports themselves are read-only here: coordinators fill them in, staff
return or reopen them."""

from stats.admin import imports, reports, rounds, years  # importing them registers the admins

__all__ = ["imports", "reports", "rounds", "years"]
