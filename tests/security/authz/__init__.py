"""The authorization matrix: every URL pattern × anonymous, coordinator of this locality (`own`), coordinator
of another locality (`other`), a former coordinator of this locality whose membership has ended (`former`) and
national staff.

A former coordinator reaches nothing of the locality any more: unless a case says otherwise, `former` expects
what `other` does.

Each app lists its URLs in `tests/security/authz/<app>.py` as `CASES` (and may add objects to the world in
`populate(world)`). `test_authorization_matrix.py` enumerates the URLconf and fails when a pattern has no case.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

ROLES = ("anonymous", "own", "other", "former", "staff")

# Expected answers besides plain status codes.
LOGIN = "login"  # redirect to the portal's login page
ADMIN_LOGIN = "admin-login"  # redirect to the admin's login page
REDIRECT = "redirect"  # some other redirect


@dataclass(frozen=True)
class Case:
    """One URL pattern: `key` is its qualified name (or route for unnamed admin patterns)."""

    key: str
    expect: dict[str, Any]
    kwargs: Callable[[SimpleNamespace], dict[str, Any]] = field(default=lambda world: {})
    method: str = "get"
    data: Callable[[SimpleNamespace], dict[str, Any]] | None = None
    # Also matched by the route pattern (for patterns without a name).
    path: Callable[[SimpleNamespace], str] | None = None

    def __post_init__(self):
        if "former" not in self.expect and "other" in self.expect:
            object.__setattr__(self, "expect", {**self.expect, "former": self.expect["other"]})


def same(value) -> dict[str, Any]:
    return dict.fromkeys(ROLES, value)


def public(status: int = 200) -> dict[str, Any]:
    return same(status)


def scoped(own: Any = 200, other: Any = 404, staff: Any = 200, anonymous: Any = LOGIN) -> dict[str, Any]:
    """A coordinator page: login required, another locality's object is 404."""
    return {"anonymous": anonymous, "own": own, "other": other, "staff": staff}


def staff_only(staff: Any = 200) -> dict[str, Any]:
    return {"anonymous": LOGIN, "own": 404, "other": 404, "staff": staff}
