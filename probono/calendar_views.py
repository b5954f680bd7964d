"""The personal calendar feed: a person's engagements, their associations' mission dates,
their company's programmes and the close of their sponsorship year, in one address that
calendar software polls without signing in. It reads missions and companies, so it is
the project's view (like the platform figures), not one app's."""

from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.services import calendar_feed_owner
from companies import calendar as company_calendar
from core.calendars import calendar_response
from missions import calendar as mission_calendar


@require_safe
def calendar_feed(request, token: str):
    """The feed of the person whose secret address holds ``token``; 404 for any other
    token (revoked, regenerated or made up), whoever asks."""
    user = calendar_feed_owner(token)
    if user is None:
        raise Http404
    today = timezone.localdate()
    with translation.override(user.language or "fr"):
        events = mission_calendar.events_for_user(
            user, today=today
        ) + company_calendar.events_for_user(user, today=today)
        return calendar_response(events, name=_("Mon agenda probono"))
