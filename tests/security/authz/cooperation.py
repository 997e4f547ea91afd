"""Authorization cases of the cooperation app's URLs (see tests/security/authz/__init__.py)."""

CASES: list = []
