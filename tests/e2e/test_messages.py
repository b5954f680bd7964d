import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from missions.models import Application
from taxonomy.models import Skill
from taxonomy.sync import sync_reference_data
from tests import factories
from tests.e2e.audit import check_page

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def engagement():
    if not Skill.objects.exists():
        sync_reference_data()
    association = factories.AssociationFactory(name="Les Ateliers du Quartier")
    member = factories.AssociationMemberFactory(
        association=association, user__first_name="Bruno", user__last_name="Petit"
    ).user
    mission = factories.MissionFactory(
        association=association, title="Mettre en place un CRM pour suivre les bénéficiaires"
    )
    factories.MissionSkillFactory(mission=mission)
    volunteer = factories.VolunteerFactory(user__first_name="Alice", user__last_name="Martin")
    application = factories.ApplicationFactory(
        mission=mission,
        volunteer=volunteer,
        state=Application.State.APPLIED,
        message="Je connais bien les CRM libres.",
    )
    return {"member": member, "volunteer": volunteer.user, "application": application}


def signed_in_page(browser, client, live_server, user):
    client.force_login(user)
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="fr-FR")
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def test_a_member_and_a_volunteer_exchange_messages(browser, live_server, engagement):
    from django.test import Client

    application = engagement["application"]
    thread_path = f"/candidatures/{application.pk}/messages/"
    member_page = signed_in_page(browser, Client(), live_server, engagement["member"])
    volunteer_page = signed_in_page(browser, Client(), live_server, engagement["volunteer"])

    # The association member opens the thread and writes.
    member_page.goto(live_server.url + thread_path)
    expect(member_page.get_by_role("heading", level=1)).to_contain_text("Mettre en place un CRM")
    expect(member_page.locator("aside")).to_contain_text("Alice Martin")
    check_page(member_page, "message-thread")
    member_page.get_by_label("Votre message").fill("Bonjour Alice, pouvons-nous en parler jeudi ?")
    member_page.get_by_role("button", name="Envoyer").click()
    conversation = member_page.locator("#conversation")
    expect(conversation.locator(".thread-message")).to_have_count(1)
    expect(conversation).to_contain_text("pouvons-nous en parler jeudi ?")
    expect(member_page.get_by_label("Votre message")).to_have_value("")

    # An empty message is refused in French, next to the field and in the summary.
    member_page.get_by_role("button", name="Envoyer").click()
    expect(member_page.get_by_role("alert")).to_contain_text("Écrivez votre message")
    expect(conversation.locator(".thread-message")).to_have_count(1)

    # The volunteer sees the notification, unread, and marks it read.
    volunteer_page.goto(live_server.url + "/")
    navigation = volunteer_page.get_by_role("navigation", name="Navigation principale")
    navigation.get_by_role("link", name=re.compile(r"Notifications \(1 non lue\)")).click()
    expect(volunteer_page).to_have_url(re.compile(r"/notifications/$"))
    item = volunteer_page.locator(".notification").first
    expect(item).to_have_class(re.compile("notification--unread"))
    expect(item).to_contain_text("Bruno Petit vous a écrit au sujet de la mission")
    expect(item).to_contain_text("pouvons-nous en parler jeudi ?")
    check_page(volunteer_page, "notification-list")
    item.get_by_role("button", name=re.compile("Marquer comme lue")).click()
    expect(volunteer_page.locator(".notification--unread")).to_have_count(0)
    expect(navigation.get_by_role("link", name="Notifications", exact=True)).to_be_visible()

    # The notification leads to the thread, where the volunteer answers.
    volunteer_page.locator(".notification").first.get_by_role(
        "link", name=re.compile("Nouveau message")
    ).click()
    expect(volunteer_page).to_have_url(re.compile(re.escape(thread_path)))
    volunteer_page.get_by_label("Votre message").fill("Avec plaisir, jeudi 18 h.")
    volunteer_page.get_by_role("button", name="Envoyer").click()
    expect(volunteer_page.locator("#conversation .thread-message")).to_have_count(2)

    # The member reads the answer.
    member_page.reload()
    expect(member_page.locator("#conversation")).to_contain_text("Avec plaisir, jeudi 18 h.")
    member_navigation = member_page.get_by_role("navigation", name="Navigation principale")
    # Opening the thread read the message's notification.
    expect(member_navigation.get_by_role("link", name="Notifications", exact=True)).to_be_visible()

    # The volunteer chooses a daily digest.
    volunteer_page.goto(live_server.url + "/notifications/preferences/")
    check_page(volunteer_page, "notification-preferences")
    volunteer_page.get_by_label("Un récapitulatif par jour").check()
    volunteer_page.get_by_label("Nouveau message").uncheck()
    volunteer_page.get_by_role("button", name="Enregistrer").click()
    expect(volunteer_page.get_by_role("status").first).to_contain_text(
        "préférences sont enregistrées"
    )
    expect(volunteer_page.get_by_label("Un récapitulatif par jour")).to_be_checked()
    expect(volunteer_page.get_by_label("Nouveau message")).not_to_be_checked()
