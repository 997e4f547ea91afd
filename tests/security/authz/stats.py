"""Statistics' URLs: the public statistics and their downloads are open to everybody (a published year; any
other year is 404 to everybody too)."""

from tests.security.authz import Case, public

CASES = [
    # 2023 is published history (from the data migration).
    Case("stats:public-download", public(200), kwargs=lambda w: {"year": 2023, "file_format": "csv"}),
]
