"""Admin login throttling (django-axes): whose address a failed login counts against, and the
page a locked-out client sees.

Behind a reverse proxy REMOTE_ADDR is the proxy's address, shared by every visitor, so locking
by it would let anyone lock a username out for everyone. Each proxy appends the address it got
the request from to X-Forwarded-For, so with TRUSTED_PROXY_COUNT proxies in front of the server
the client's address is that many entries from the right. What lies further left was written by
the client and is never trusted; with no trusted proxy the header is ignored altogether.
"""

from datetime import timedelta

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import admin
from django.shortcuts import render
from django.utils import timezone


def client_ip(request):
    """The address of the client as the first trusted proxy saw it (AXES_CLIENT_IP_CALLABLE)."""
    trusted = settings.TRUSTED_PROXY_COUNT
    if trusted > 0:
        forwarded = [
            address.strip()
            for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if address.strip()
        ]
        # Fewer entries than proxies: the request did not come through them all.
        if len(forwarded) >= trusted:
            return forwarded[-trusted]
    return request.META.get("REMOTE_ADDR")


def locked_out(request, original_response=None, credentials=None):
    """The lockout page (AXES_LOCKOUT_CALLABLE), in the admin's look, saying when to try again.

    Every failed attempt, this one included, restarts the cool-off (axes'
    AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT), so the wait runs from now."""
    cool_off = get_cool_off(request)
    context = {**admin.site.each_context(request), "minutes": None, "retry_at": None}
    if cool_off:
        # Up to the next whole minute: the page shows hours and minutes, and trying a moment
        # too early would start the wait again.
        retry_at = timezone.now() + cool_off + timedelta(seconds=59)
        context["retry_at"] = retry_at.replace(second=0, microsecond=0)
        context["minutes"] = max(1, round(cool_off.total_seconds() / 60))
    return render(
        request, "admin/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE
    )
