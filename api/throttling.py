from typing import cast

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiKey


class RequesterRateThrottle(SimpleRateThrottle):
    """One budget per API key, per signed-in person, or per address for anonymous calls."""

    def get_rate(self):
        return None  # chosen per request in allow_request

    def allow_request(self, request, view):
        if isinstance(request.auth, ApiKey):
            self.scope, ident = "key", f"key-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            self.scope, ident = "user", f"user-{request.user.pk}"
        else:
            self.scope, ident = "anon", f"anon-{self.get_ident(request)}"
        self.rate = settings.API_THROTTLE_RATES[self.scope]
        # Every scope has a rate (settings.API_THROTTLE_RATES).
        self.num_requests, self.duration = cast("tuple[int, int]", self.parse_rate(self.rate))
        self.key = f"api-throttle-{ident}"
        self.history = self.cache.get(self.key, [])
        self.now = self.timer()
        while self.history and self.history[-1] <= self.now - self.duration:
            self.history.pop()
        if len(self.history) >= self.num_requests:
            return self.throttle_failure()
        return self.throttle_success()

    def get_cache_key(self, request, view):  # pragma: no cover - allow_request sets the key
        return None
