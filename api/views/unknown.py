"""Addresses under /api/v1/ that no endpoint answers."""

from django.conf import settings
from django.http import HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound
from rest_framework.views import APIView

from .base import ApiViewMixin


class UnknownPathView(ApiViewMixin, APIView):
    """Any address under /api/v1/ that no endpoint answers: the API's 404, not Django's
    HTML page. Without its trailing slash, a known address is still redirected (GET),
    as ``APPEND_SLASH`` does elsewhere."""

    permission_classes = []
    schema = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        raise NotFound(_("Introuvable."))

    def dispatch(self, request, *args, **kwargs):
        path = request.path_info
        if settings.APPEND_SLASH and request.method in ("GET", "HEAD") and path[-1:] != "/":
            try:
                match = resolve(path + "/")
            except Resolver404:
                match = None
            if match is not None and getattr(match.func, "view_class", None) is not type(self):
                query = request.META.get("QUERY_STRING", "")
                return HttpResponsePermanentRedirect(
                    request.path + "/" + (f"?{query}" if query else "")
                )
        return super().dispatch(request, *args, **kwargs)
