"""Authorization cases of the support app's URLs (see tests/security/authz/__init__.py)."""

CASES: list = []
