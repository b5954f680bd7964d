"""The platform figures for staff: who sees them, and each figure recomputed by hand."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from companies.models import CompanyMember
from tests import factories


@pytest.fixture
def programme_admin(db):
    """Company staff: they see their company's figures, not the platform's."""
    return factories.CompanyMemberFactory(role=CompanyMember.Role.PROGRAMME_ADMIN).user


def test_platform_figures_are_for_platform_staff(
    client, staff, programme_admin, django_assert_max_num_queries
):
    factories.MissionFactory(state="completed")
    factories.MissionFactory(state="cancelled")
    url = reverse("companies:platform_figures")
    client.force_login(programme_admin)
    assert client.get(url).status_code == 403
    client.force_login(staff)
    with django_assert_max_num_queries(10):
        response = client.get(url)
    assert response.status_code == 200
    assert "1 missions terminées sur 2 missions closes" in response.content.decode()


def test_platform_figures_by_hand(db):
    """Two missions published 20 days ago, one answered after 3 days, one never; one
    completed and one cancelled among those that ended; one application from a suggestion
    and three suggestions still offered."""
    from missions.models import Application
    from probono.platform import platform_figures
    from tests.suggestions import store_list

    now = timezone.now()
    answered = factories.MissionFactory(published_at=now - datetime.timedelta(days=20))
    factories.MissionFactory(published_at=now - datetime.timedelta(days=20))
    factories.MissionFactory(published_at=now - datetime.timedelta(days=2))  # too recent
    factories.MissionFactory(state="completed", published_at=None)
    factories.MissionFactory(state="cancelled", published_at=None)
    application = factories.ApplicationFactory(mission=answered, origin="suggested")
    Application.objects.filter(pk=application.pk).update(
        created_at=now - datetime.timedelta(days=17)
    )
    for _ in range(3):
        store_list(volunteer=factories.VolunteerFactory(), others=[factories.MissionFactory()])
    figures = platform_figures(today=timezone.localdate())
    assert figures["published_long_enough"] == 2
    assert figures["answered_within_window"] == 1
    assert figures["answered_share"] == Decimal("0.5")
    assert figures["median_days_to_first"] == Decimal("3.0")
    assert figures["completion_rate"] == Decimal("0.5")
    assert figures["acceptance_rate"] == Decimal("0.25")
