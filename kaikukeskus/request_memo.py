"""Answers computed once per read-only request: a page whose parts each ask the same question (the portal's
panels and the navigation asking whether the user coordinates a locality) asks the database once.

    from kaikukeskus.request_memo import once_per_request

    def is_coordinator(*, user) -> bool:
        return once_per_request(("is_coordinator", user.pk), lambda: ...)

Only GET and HEAD requests remember (`RequestMemoMiddleware`): they change nothing, so an answer cannot go stale
within them. Anywhere else (a POST, a task, a command, a test calling a function) `once_per_request` computes
every time. The memo lives in a context variable, so threads and concurrent requests never share it.
"""

from collections.abc import Callable, Hashable
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")

_memo: ContextVar[dict[Hashable, object] | None] = ContextVar("request_memo", default=None)
READ_ONLY_METHODS = ("GET", "HEAD")


def once_per_request(key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()`, remembered under `key` for the rest of the current read-only request."""
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]  # type: ignore[return-value]


class RequestMemoMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in READ_ONLY_METHODS:
            return self.get_response(request)
        token = _memo.set({})
        try:
            return self.get_response(request)
        finally:
            _memo.reset(token)
