"""Anonymous requests per client address (API_ANONYMOUS_RATE, e.g. "120/minute"); the address
is found as for login throttling (REST_FRAMEWORK's NUM_PROXIES is TRUSTED_PROXY_COUNT)."""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle


class AnonymousThrottle(AnonRateThrottle):
    def get_rate(self):
        # Read at each request, not at import, so the setting can change (tests, operators).
        return settings.API_ANONYMOUS_RATE
