import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.models import ActionLog
from missions import outreach
from missions.models import Invitation, Mission, MissionSkill
from notifications.models import Notification
from taxonomy.models import Cause
from tests import factories

from .conftest import skills

pytestmark = pytest.mark.django_db


# --- Testimonials ---------------------------------------------------------------------


def test_volunteer_of_a_completed_engagement_submits_a_testimonial(
    completed_application, owner, colleague, django_capture_on_commit_callbacks
):
    volunteer_user = completed_application.volunteer.user
    with django_capture_on_commit_callbacks(execute=True):
        testimonial = outreach.testimonial_submit(
            application_id=completed_application.pk, actor=volunteer_user, text="  Très riche.  "
        )
    assert testimonial.text == "Très riche."
    assert testimonial.published_at is None
    notified = set(
        Notification.objects.filter(kind=Notification.Kind.TESTIMONIAL_RECEIVED).values_list(
            "recipient_id", flat=True
        )
    )
    assert notified == {owner.pk, colleague.pk}


def test_testimonial_needs_a_completed_engagement(mission):
    application = factories.ApplicationFactory(mission=mission, state="active")
    with pytest.raises(ValidationError):
        outreach.testimonial_submit(
            application_id=application.pk, actor=application.volunteer.user, text="Bien"
        )


def test_only_the_volunteer_writes_the_testimonial(completed_application, owner):
    with pytest.raises(PermissionDenied):
        outreach.testimonial_submit(application_id=completed_application.pk, actor=owner, text="x")


def test_one_testimonial_per_engagement(completed_application):
    user = completed_application.volunteer.user
    outreach.testimonial_submit(application_id=completed_application.pk, actor=user, text="Un")
    with pytest.raises(ValidationError):
        outreach.testimonial_submit(application_id=completed_application.pk, actor=user, text="2")


def test_members_publish_and_unpublish_testimonials(completed_application, colleague, outsider):
    user = completed_application.volunteer.user
    testimonial = outreach.testimonial_submit(
        application_id=completed_application.pk, actor=user, text="Merci"
    )
    with pytest.raises(PermissionDenied):
        outreach.testimonial_publish(testimonial_id=testimonial.pk, actor=outsider)
    assert outreach.testimonial_publish(testimonial_id=testimonial.pk, actor=colleague).is_published
    testimonial = outreach.testimonial_unpublish(testimonial_id=testimonial.pk, actor=colleague)
    assert not testimonial.is_published
    actions = set(ActionLog.objects.for_object(testimonial).values_list("action", flat=True))
    assert actions == {"testimonial.create", "testimonial.publish", "testimonial.unpublish"}


# --- Invitations ----------------------------------------------------------------------


def test_invitation_notifies_the_volunteer(
    mission, owner, volunteer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = outreach.invitation_send(
            mission_id=mission.pk, volunteer_id=volunteer.pk, actor=owner, message="Bonjour"
        )
    assert invitation.message == "Bonjour"
    notification = Notification.objects.get(recipient=volunteer.user)
    assert notification.kind == Notification.Kind.INVITATION_RECEIVED


def test_invitations_are_capped_per_volunteer_across_associations(settings, volunteer):
    settings.INVITATIONS_PER_VOLUNTEER_PER_MONTH = 2
    missions = [factories.MissionFactory() for _ in range(3)]
    members = [
        factories.AssociationMemberFactory(association=mission.association).user
        for mission in missions
    ]
    for mission, member in zip(missions[:2], members[:2], strict=True):
        outreach.invitation_send(mission_id=mission.pk, volunteer_id=volunteer.pk, actor=member)
    with pytest.raises(ValidationError) as refused:
        outreach.invitation_send(
            mission_id=missions[2].pk, volunteer_id=volunteer.pk, actor=members[2]
        )
    assert refused.value.code == "invitation_cap"
    assert "30 derniers jours" in refused.value.messages[0]


def test_invitations_older_than_30_days_no_longer_count(settings, volunteer, mission, owner):
    settings.INVITATIONS_PER_VOLUNTEER_PER_MONTH = 1
    old = Invitation.objects.create(mission=factories.MissionFactory(), volunteer=volunteer)
    Invitation.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=31)
    )
    outreach.invitation_send(mission_id=mission.pk, volunteer_id=volunteer.pk, actor=owner)
    assert Invitation.objects.filter(volunteer=volunteer).count() == 2


def test_hidden_profiles_and_outsiders_cannot_be_invited(mission, owner, outsider):
    hidden = factories.VolunteerFactory(is_visible=False)
    with pytest.raises(ValidationError):
        outreach.invitation_send(mission_id=mission.pk, volunteer_id=hidden.pk, actor=owner)
    visible = factories.VolunteerFactory()
    with pytest.raises(PermissionDenied):
        outreach.invitation_send(mission_id=mission.pk, volunteer_id=visible.pk, actor=outsider)


def test_a_volunteer_is_invited_once_per_mission(mission, owner, volunteer):
    outreach.invitation_send(mission_id=mission.pk, volunteer_id=volunteer.pk, actor=owner)
    with pytest.raises(ValidationError):
        outreach.invitation_send(mission_id=mission.pk, volunteer_id=volunteer.pk, actor=owner)


# --- Mouton à 5 pattes ----------------------------------------------------------------


def _draft(association, owner, codes, nice=()):
    from missions.services import mission_create

    rows = [(s, 2, MissionSkill.Importance.REQUIRED) for s in skills(*codes)]
    rows += [(s, 1, MissionSkill.Importance.NICE_TO_HAVE) for s in skills(*nice)]
    return mission_create(
        association=association,
        actor=owner,
        skills=rows,
        title="Tout refaire",
        summary="Site, comptes, statuts et recrutement.",
        cause=Cause.objects.order_by("pk").first(),
        state=Mission.State.DRAFT,
    )


def test_related_families_make_one_group(association, owner):
    # crm (digital) is related to database_administration (data): one group.
    mission = _draft(association, owner, ["crm", "database_administration"])
    assert len(outreach.required_skill_groups(mission)) == 1
    assert not outreach.is_too_wide(mission)


def test_three_unrelated_families_are_too_wide(association, owner):
    mission = _draft(association, owner, ["website_creation", "accounting", "recruitment"])
    assert outreach.is_too_wide(mission)


def test_split_makes_one_linked_mission_per_group(association, owner):
    mission = _draft(
        association,
        owner,
        ["website_creation", "wordpress", "accounting", "recruitment"],
        nice=["annual_accounts", "seo"],
    )
    parts = outreach.mission_split(mission_id=mission.pk, actor=owner)
    assert len(parts) == 2
    mission.refresh_from_db()
    kept = set(mission.skills.values_list("skill__code", flat=True))
    assert kept == {"website_creation", "wordpress", "seo"}
    by_part = [set(p.skills.values_list("skill__code", flat=True)) for p in parts]
    assert {"accounting", "annual_accounts"} in by_part
    assert {"recruitment"} in by_part
    assert all(p.parent_id == mission.pk and p.state == Mission.State.DRAFT for p in parts)
    assert not outreach.is_too_wide(mission)


def test_split_refused_outside_drafts_and_for_outsiders(association, owner, outsider):
    mission = _draft(association, owner, ["website_creation", "accounting", "recruitment"])
    with pytest.raises(PermissionDenied):
        outreach.mission_split(mission_id=mission.pk, actor=outsider)
    Mission.objects.filter(pk=mission.pk).update(state=Mission.State.SUBMITTED)
    with pytest.raises(ValidationError):
        outreach.mission_split(mission_id=mission.pk, actor=owner)


def test_update_changes_a_draft_and_its_skills(association, owner):
    mission = _draft(association, owner, ["website_creation"])
    outreach.mission_update(
        mission_id=mission.pk,
        actor=owner,
        skills=[(skills("accounting")[0], 3, MissionSkill.Importance.REQUIRED)],
        title="Nouveau titre",
        city="Lyon",
        postcode="69003",
    )
    mission.refresh_from_db()
    assert mission.title == "Nouveau titre"
    assert mission.departement.code == "69"
    assert list(mission.skills.values_list("skill__code", "min_level")) == [("accounting", 3)]


def test_update_of_a_stale_version_is_refused_and_what_is_left_out_stays(association, owner):
    mission = _draft(association, owner, ["website_creation"])
    read = outreach.mission_etag(mission)
    outreach.mission_update(mission_id=mission.pk, actor=owner, title="Premier", expected_etag=read)
    with pytest.raises(outreach.MissionChanged):
        outreach.mission_update(
            mission_id=mission.pk, actor=owner, title="Second", expected_etag=read
        )
    mission.refresh_from_db()
    assert mission.title == "Premier"
    assert outreach.mission_etag(mission) != read
    assert list(mission.skills.values_list("skill__code", flat=True)) == ["website_creation"]
