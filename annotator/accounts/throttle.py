"""Login throttling: django-axes' lock on a username from an address, plus one on the address.

Axes counts failures per username and address only, so one address could try a few passwords
on every username without ever being slowed. The failures are axes' rows in PostgreSQL (the
table is the state, shared by every web process), so the address lock sums those rows too.
Only the login runs this: other pages never ask axes anything.

Behind a reverse proxy every request arrives from the proxy's address, and an address lock
would lock everyone: `client_address` then reads the address the proxy saw.
"""

import ipaddress
from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


class LoginThrottle(AxesDatabaseHandler):  # type: ignore[misc]  # axes ships no types
    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        """The username's failures from this address; once the address as a whole has failed
        LOGIN_ADDRESS_FAILURE_LIMIT times within the cool-off, at least the lock's limit, so
        axes shows the same locked-out page whichever username is tried."""
        failures = int(super().get_failures(request, credentials))
        if self.address_failures(request) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            return max(failures, int(get_failure_limit(request, credentials)))
        return failures

    def address_failures(self, request: HttpRequest) -> int:
        recent = AccessAttempt.objects.filter(
            ip_address=request.axes_ip_address,  # type: ignore[attr-defined]  # set by axes
            attempt_time__gte=get_cool_off_threshold(request),
        )
        total: int | None = recent.aggregate(total=Sum("failures_since_start"))["total"]
        return total or 0


def client_address(request: HttpRequest) -> str | None:
    """The address a login comes from (axes' AXES_CLIENT_IP_CALLABLE): REMOTE_ADDR, or with
    TRUSTED_PROXY_COUNT proxies in front, the address the outermost of them received it from.

    Each proxy appends the address it got the request from to X-Forwarded-For; whatever lies
    further left was written by the client and proves nothing. With one proxy, a request
    from 203.0.113.7 sending "X-Forwarded-For: 1.2.3.4" arrives with "1.2.3.4, 203.0.113.7".
    """
    address: str | None = request.META.get("REMOTE_ADDR")
    proxies: int = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")
        if len(forwarded) >= proxies:
            candidate = forwarded[-proxies].strip()
            try:
                ipaddress.ip_address(candidate)
            except ValueError:  # a misconfigured proxy: the table takes addresses only
                return address
            return candidate
    return address
