"""Calendars: the personal feed (secret address, revocable) and the .ics downloads, with
who may read each."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from accounts.models import CalendarFeed
from accounts.services import calendar_feed_create, calendar_feed_revoke
from companies.models import CompanyMember, ProgrammeRegistration
from missions.models import Application, Mission
from missions.services import (
    application_accept,
    application_create,
    application_withdraw,
    mission_cancel,
)
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def feed_url(token: str) -> str:
    return reverse("calendar_feed", kwargs={"token": token})


def read(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def events(calendar: Calendar) -> dict[str, object]:
    return {str(event["uid"]).split("@")[0]: event for event in calendar.walk("VEVENT")}


@pytest.fixture
def dated_mission(association):
    return factories.MissionFactory(
        association=association,
        title="Refonte du site des Jardins partagés",
        city="Lyon",
        postcode="69003",
        location_mode="on_site",
        start_date=TODAY + datetime.timedelta(days=10),
        end_date=TODAY + datetime.timedelta(days=70),
        application_deadline=TODAY + datetime.timedelta(days=5),
        seats=2,
    )


def engage(mission, volunteer, owner):
    application = application_create(
        mission_id=mission.pk, volunteer=volunteer, actor=volunteer.user
    )
    return application_accept(application_id=application.pk, actor=owner)


# --- The feed -------------------------------------------------------------------------


def test_a_subscribed_calendar_sees_a_new_engagement_appear(
    client, dated_mission, volunteer, owner
):
    token = calendar_feed_create(user=volunteer.user)

    before = events(read(client.get(feed_url(token))))
    assert not [uid for uid in before if uid.startswith("engagement-")]

    application = engage(dated_mission, volunteer, owner)

    calendar = read(client.get(feed_url(token)))
    event = events(calendar)[f"engagement-{application.pk}"]
    assert dated_mission.title in str(event["summary"])
    assert event.decoded("dtstart") == dated_mission.start_date
    assert event.decoded("dtend") == dated_mission.end_date + datetime.timedelta(days=1)
    assert str(event["status"]) == "CONFIRMED"
    assert str(event["location"]) == "69003 Lyon"
    assert str(calendar["x-wr-timezone"]) == "Europe/Paris"
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]


def test_an_engagement_given_up_is_cancelled_with_a_higher_sequence(
    client, dated_mission, volunteer, owner
):
    token = calendar_feed_create(user=volunteer.user)
    application = engage(dated_mission, volunteer, owner)
    Application.objects.filter(pk=application.pk).update(
        updated_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    Mission.objects.filter(pk=dated_mission.pk).update(
        updated_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    first = events(read(client.get(feed_url(token))))[f"engagement-{application.pk}"]

    application_withdraw(application_id=application.pk, actor=volunteer.user, reason="other")

    event = events(read(client.get(feed_url(token))))[f"engagement-{application.pk}"]
    assert str(event["status"]) == "CANCELLED"
    assert int(event["sequence"]) > int(first["sequence"])
    assert str(event["uid"]) == str(first["uid"])


def test_a_cancelled_mission_cancels_its_dates_for_its_association(
    client, dated_mission, owner, staff
):
    token = calendar_feed_create(user=owner)
    listed = events(read(client.get(feed_url(token))))
    assert str(listed[f"mission-{dated_mission.pk}"]["status"]) == "CONFIRMED"
    assert f"mission-{dated_mission.pk}-deadline" in listed

    mission_cancel(mission_id=dated_mission.pk, actor=owner, reason="Le besoin a disparu.")

    listed = events(read(client.get(feed_url(token))))
    assert str(listed[f"mission-{dated_mission.pk}"]["status"]) == "CANCELLED"


def test_the_feed_works_without_signing_in_and_only_with_the_token(client, volunteer):
    token = calendar_feed_create(user=volunteer.user)

    assert client.get(feed_url(token)).status_code == 200
    assert client.get(feed_url(token[:-1] + ("A" if token[-1] != "A" else "B"))).status_code == 404
    assert client.get("/agenda/.ics").status_code == 404


def test_a_revoked_or_regenerated_address_answers_404(client, volunteer):
    token = calendar_feed_create(user=volunteer.user)
    new_token = calendar_feed_create(user=volunteer.user)

    assert client.get(feed_url(token)).status_code == 404
    assert client.get(feed_url(new_token)).status_code == 200

    assert calendar_feed_revoke(user=volunteer.user)
    assert client.get(feed_url(new_token)).status_code == 404
    assert not CalendarFeed.objects.filter(user=volunteer.user).exists()


def test_another_persons_token_never_shows_your_data(client, dated_mission, volunteer, owner):
    mine = engage(dated_mission, volunteer, owner)
    other = factories.VolunteerFactory()
    their_token = calendar_feed_create(user=other.user)
    calendar_feed_create(user=volunteer.user)

    response = client.get(feed_url(their_token))

    assert f"engagement-{mine.pk}".encode() not in response.content
    assert dated_mission.title.encode() not in response.content
    # Signed in as the engaged volunteer changes nothing: the token decides.
    client.force_login(volunteer.user)
    assert dated_mission.title.encode() not in client.get(feed_url(their_token)).content


def test_an_anonymised_person_feed_stops(client, volunteer):
    from accounts.erasure import user_anonymise

    token = calendar_feed_create(user=volunteer.user)
    user_anonymise(user_id=volunteer.user.pk, actor=None, reason="test")

    assert client.get(feed_url(token)).status_code == 404
    assert not CalendarFeed.objects.exists()


def test_the_feed_is_worded_in_the_persons_language(client, dated_mission, volunteer, owner):
    volunteer.user.language = "en"
    volunteer.user.save()
    application = engage(dated_mission, volunteer, owner)
    token = calendar_feed_create(user=volunteer.user)

    event = events(read(client.get(feed_url(token))))[f"engagement-{application.pk}"]

    assert str(event["summary"]).startswith("Engagement: ")


def test_programmes_and_the_hours_deadline_reach_an_employee(client, volunteer):
    company = factories.CompanyFactory(name="Acme Conseil", yearly_allowance_hours=35)
    factories.CompanyMemberFactory(company=company, user=volunteer.user)
    programme = company.programmes.create(
        name="Semaine solidaire",
        kind="week",
        starts_on=TODAY + datetime.timedelta(days=20),
        ends_on=TODAY + datetime.timedelta(days=24),
    )
    other = company.programmes.create(
        name="Marathon d'automne",
        kind="marathon",
        starts_on=TODAY + datetime.timedelta(days=40),
        ends_on=TODAY + datetime.timedelta(days=40),
    )
    ProgrammeRegistration.objects.create(programme=programme, volunteer=volunteer)
    token = calendar_feed_create(user=volunteer.user)

    listed = events(read(client.get(feed_url(token))))

    assert f"programme-{programme.pk}" in listed
    assert f"programme-{other.pk}" not in listed  # not registered, not running it
    _start, year_end = company.allowance_year(TODAY)
    deadline = listed[f"hours-deadline-{company.pk}-{year_end:%Y%m%d}"]
    assert deadline.decoded("dtstart") == year_end


def test_a_programme_admin_sees_every_programme_of_the_company(client, db):
    member = factories.CompanyMemberFactory(role=CompanyMember.Role.PROGRAMME_ADMIN)
    programme = member.company.programmes.create(
        name="Marathon", kind="marathon", starts_on=TODAY, ends_on=TODAY
    )
    token = calendar_feed_create(user=member.user)

    assert f"programme-{programme.pk}" in events(read(client.get(feed_url(token))))


def test_the_feed_stays_within_its_query_budget(
    client, association, owner, django_assert_max_num_queries
):
    volunteer = factories.VolunteerFactory(user=owner)
    for _number in range(15):
        mission = factories.MissionFactory(
            association=association, start_date=TODAY, end_date=TODAY, seats=1
        )
        factories.ApplicationFactory(
            mission=mission, volunteer=volunteer, state="accepted", decided_at=timezone.now()
        )
    factories.CompanyMemberFactory(user=owner)
    token = calendar_feed_create(user=owner)
    client.get(feed_url(token))

    with django_assert_max_num_queries(10):
        response = client.get(feed_url(token))

    assert len(events(read(response))) == 15 + 15 * 2 + 1


# --- The downloads --------------------------------------------------------------------


def test_anyone_downloads_a_public_missions_dates(client, dated_mission):
    response = client.get(reverse("missions:calendar", args=[dated_mission.pk]))

    assert response["Content-Disposition"] == (
        f'attachment; filename="mission-{dated_mission.pk}.ics"'
    )
    listed = events(read(response))
    assert set(listed) == {f"mission-{dated_mission.pk}", f"mission-{dated_mission.pk}-deadline"}


def test_a_draft_missions_dates_are_for_its_association_only(
    client, association, owner, outsider, staff
):
    draft = factories.MissionFactory(association=association, state="draft", start_date=TODAY)
    url = reverse("missions:calendar", args=[draft.pk])

    assert client.get(url).status_code == 404
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(owner)
    assert client.get(url).status_code == 200


def test_an_engagement_download_is_for_the_volunteer_only(
    client, dated_mission, volunteer, owner, outsider
):
    application = engage(dated_mission, volunteer, owner)
    url = reverse("volunteers:engagement_calendar", args=[application.pk])

    assert client.get(url).status_code == 302  # to the sign-in page
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(factories.VolunteerFactory().user)
    assert client.get(url).status_code == 404
    client.force_login(volunteer.user)
    listed = events(read(client.get(url)))
    assert list(listed) == [f"engagement-{application.pk}"]


def test_an_application_not_yet_accepted_has_no_engagement_file(client, dated_mission, volunteer):
    application = application_create(
        mission_id=dated_mission.pk, volunteer=volunteer, actor=volunteer.user
    )
    client.force_login(volunteer.user)

    url = reverse("volunteers:engagement_calendar", args=[application.pk])
    assert client.get(url).status_code == 404


def test_a_programme_download_follows_the_programme_page(client, outsider):
    member = factories.CompanyMemberFactory()
    programme = member.company.programmes.create(
        name="Marathon", kind="marathon", starts_on=TODAY, ends_on=TODAY
    )
    url = reverse("companies:programme_calendar", args=[programme.pk])

    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(member.user)
    assert list(events(read(client.get(url)))) == [f"programme-{programme.pk}"]


def test_the_hours_deadline_download_is_for_employees(client, outsider):
    member = factories.CompanyMemberFactory()
    url = reverse("companies:hours_deadline_calendar")

    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(member.user)
    (uid,) = events(read(client.get(url)))
    assert uid.startswith(f"hours-deadline-{member.company.pk}-")


# --- The account page -----------------------------------------------------------------


def test_the_account_page_shows_a_new_address_once_then_revokes_it(client, volunteer):
    client.force_login(volunteer.user)

    response = client.post(reverse("my_account:calendar_feed_create"), follow=True)
    content = response.content.decode()
    assert "webcal://127.0.0.1:8000/agenda/" in content
    start = content.index("http://127.0.0.1:8000/agenda/")
    url = content[start : content.index('"', start)]
    assert client.get(url.removeprefix("http://127.0.0.1:8000")).status_code == 200

    again = client.get(reverse("my_account:home")).content.decode()
    assert "/agenda/" not in again.replace("/mon-compte/agenda/", "")
    assert "Révoquer l'adresse" in again

    client.post(reverse("my_account:calendar_feed_revoke"))
    assert client.get(url.removeprefix("http://127.0.0.1:8000")).status_code == 404


def test_creating_an_address_needs_a_post_and_a_session(client, volunteer):
    assert client.post(reverse("my_account:calendar_feed_create")).status_code == 302
    assert not CalendarFeed.objects.exists()
    client.force_login(volunteer.user)
    assert client.get(reverse("my_account:calendar_feed_create")).status_code == 405
