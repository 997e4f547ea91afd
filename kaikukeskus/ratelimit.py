"""Limits on what anybody may do without logging in, counted in the shared cache, and the client's address.

`client_ip()` is the one rule for the address a request came from, for these limits and for allauth's login
limits (kaikukeskus/adapters.py). Behind reverse proxies `REMOTE_ADDR` is the nearest proxy, so with
`TRUSTED_PROXY_COUNT` = N the address is the one that the outermost of our N proxies added to X-Forwarded-For
(the N-th from the right); anything left of it was written by the client and is not trusted. 0 (the default)
trusts no header and uses `REMOTE_ADDR`.

`hit()` counts one action against its limits in fixed windows: `Rate(5, 600)` allows 5 in each 10 minutes.
The cache is the default one (kaikukeskus/cache.py: Redis in production, shared by every web process; while
Redis does not answer, each process counts in its own memory). Any other failure of the cache counts nothing and
limits nothing (logged as a warning): a limit is a brake, not a reason to turn real people away.
"""

import hashlib
import ipaddress
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

# An IPv6 client usually has a whole /64 to pick addresses from: it counts as one.
IPV6_PREFIX = 64
_told_about_forwarded_for = False


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address (see the module's docstring); None when there is no valid one."""
    global _told_about_forwarded_for
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded_for = request.headers.get("X-Forwarded-For", "")
    if proxies > 0:
        hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
        if len(hops) >= proxies:
            ip = _valid_ip(hops[-proxies])
            if ip:
                return ip
        # Fewer hops than trusted proxies: the request did not come through them all (a health check inside the
        # network); its direct peer is the client.
    elif forwarded_for and not _told_about_forwarded_for:
        _told_about_forwarded_for = True
        logger.warning(
            "Requests come with X-Forwarded-For but TRUSTED_PROXY_COUNT is 0: behind a reverse proxy every client "
            "counts as the proxy's address in the limits; set TRUSTED_PROXY_COUNT to the number of proxies"
        )
    return _valid_ip(request.META.get("REMOTE_ADDR", ""))


def client_key(request) -> str:
    """The client's address as a limit counts it: an IPv6 address by its /64 network."""
    ip = client_ip(request)
    if ip is None:
        return "unknown"
    if ":" in ip:
        return str(ipaddress.ip_network(f"{ip}/{IPV6_PREFIX}", strict=False).network_address)
    return ip


def hit(action: str, limits: dict[str, tuple[str, Rate]]) -> bool:
    """Count one `action` for each of `limits` ({name: (value, rate)}, e.g. {"ip": (address, Rate(5, 600))});
    True when any count is now over its rate. Values are hashed into the keys (no addresses in the cache)."""
    now = time.time()
    over = False
    try:
        for name, (value, rate) in limits.items():
            window = int(now // rate.seconds)
            digest = hashlib.sha256(value.encode()).hexdigest()[:32]
            key = f"ratelimit:{action}:{name}:{digest}:{rate.seconds}:{window}"
            # The key lives a little past its window so that a count never disappears inside it.
            if cache.add(key, 1, timeout=rate.seconds + 60):
                count = 1
            else:
                try:
                    count = cache.incr(key)
                except ValueError:  # expired between add and incr
                    cache.add(key, 1, timeout=rate.seconds + 60)
                    count = 1
            over = over or count > rate.count
    except Exception as error:  # any failure of the cache: let the action through
        logger.warning("Rate limit %s not counted, the cache failed (%r); the action is allowed", action, error)
        return False
    return over
