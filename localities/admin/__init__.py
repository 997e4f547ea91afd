"""The administration for Kaikukeskus staff, a module per subject: reference data, localities with their
lifecycle, coordinators and their requests, pilots and the review board, feedback meetings, prospects and
agreements. Every change of state goes through `localities.services`. Importing the modules registers them."""

from localities.admin import (  # noqa: F401
    agreements,
    coordinators,
    locality,
    meetings,
    pilots,
    prospects,
    reference,
)
