"""Authorization cases of the communications app's URLs (see tests/security/authz/__init__.py)."""

CASES: list = []
