"""Shared mission and association pages: Open Graph and Twitter metadata, the preview
picture (drawn, cached, refreshed by an edit) and schema.org data that no title can
break out of."""

import io
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from core.previews import font, render_preview, wrap
from tests import factories

pytestmark = pytest.mark.django_db

HOSTILE = 'Site </script><script>alert("x")</script> & <!-- « ok »'


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.SITE_URL = "https://probono.example.org"
    return tmp_path


def meta(content: str, key: str) -> str:
    match = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', content)
    assert match, key
    return match.group(1)


def json_ld(content: str) -> dict:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', content, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_a_mission_page_carries_open_graph_and_twitter_metadata(client, mission):
    content = client.get(mission.get_absolute_url()).content.decode()

    assert meta(content, "og:title") == mission.title
    assert meta(content, "og:url") == f"https://probono.example.org/missions/{mission.pk}/"
    image = meta(content, "og:image")
    assert image.startswith(f"https://probono.example.org/missions/{mission.pk}/apercu.png?v=")
    assert meta(content, "og:image:width") == "1200"
    assert meta(content, "og:image:height") == "630"
    assert meta(content, "twitter:card") == "summary_large_image"
    assert meta(content, "twitter:image") == image
    assert meta(content, "og:description") == mission.summary.replace("'", "&#x27;")
    assert 'data-share-url="https://probono.example.org/missions/' in content


def test_markup_in_a_title_cannot_break_out_of_the_structured_data(client, association):
    mission = factories.MissionFactory(association=association, title=HOSTILE)

    content = client.get(mission.get_absolute_url()).content.decode()

    assert "<script>alert" not in content
    data = json_ld(content)  # the whole block parses: nothing closed it early
    assert data["title"] == HOSTILE
    assert data["@type"] == "JobPosting"
    assert data["employmentType"] == "VOLUNTEER"
    assert data["hiringOrganization"]["name"] == association.name
    assert meta(content, "og:title") == (
        "Site &lt;/script&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;!-- « ok »"
    )


def test_a_dated_workshop_is_an_event_for_search_engines(client, association):
    today = timezone.localdate()
    mission = factories.MissionFactory(
        association=association,
        format="workshop",
        location_mode="on_site",
        city="Lyon",
        postcode="69003",
        start_date=today,
        end_date=today,
    )

    data = json_ld(client.get(mission.get_absolute_url()).content.decode())

    assert data["@type"] == "Event"
    assert data["startDate"] == today.isoformat()
    assert data["location"]["address"]["addressLocality"] == "Lyon"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["organizer"]["@type"] == "NGO"


def test_the_preview_picture_is_drawn_once_and_kept(client, mission, media):
    url = reverse("missions:preview", args=[mission.pk])

    response = client.get(url)

    assert response["Content-Type"] == "image/png"
    picture = Image.open(io.BytesIO(response.content))
    assert picture.size == (1200, 630)
    stored = list((media / "previews" / "missions" / str(mission.pk)).iterdir())
    assert len(stored) == 1
    assert client.get(url).content == response.content


def test_an_edit_refreshes_the_picture_and_its_address(client, mission, media):
    page_before = client.get(mission.get_absolute_url()).content.decode()
    before = client.get(reverse("missions:preview", args=[mission.pk])).content

    mission.title = "Un tout autre besoin"
    mission.save()

    page_after = client.get(mission.get_absolute_url()).content.decode()
    after = client.get(reverse("missions:preview", args=[mission.pk])).content
    assert after != before
    assert meta(page_after, "og:image") != meta(page_before, "og:image")
    stored = list((media / "previews" / "missions" / str(mission.pk)).iterdir())
    assert len(stored) == 1  # the old picture is gone


def test_only_public_missions_have_a_picture(client, association):
    draft = factories.MissionFactory(association=association, state="draft")

    assert client.get(reverse("missions:preview", args=[draft.pk])).status_code == 404


def test_an_association_page_is_shared_with_its_own_picture(client, association):
    content = client.get(association.get_absolute_url()).content.decode()

    image = meta(content, "og:image")
    assert image.startswith(
        f"https://probono.example.org/associations/{association.slug}/apercu.png?v="
    )
    assert json_ld(content)["@type"] == "NGO"
    response = client.get(reverse("associations:preview", args=[association.slug]))
    assert Image.open(io.BytesIO(response.content)).size == (1200, 630)


def test_an_unverified_association_has_no_picture(client):
    pending = factories.AssociationFactory(verification_state="pending", verified_at=None)

    assert client.get(reverse("associations:preview", args=[pending.slug])).status_code == 404


def test_long_titles_wrap_within_the_picture_and_end_with_an_ellipsis():
    face = font("bold", 60)
    lines = wrap("mot " * 200 + "Anticonstitutionnellement" * 5, face, 1040, 3)

    assert len(lines) == 3
    assert lines[-1].endswith("…")
    assert all(face.getlength(line) <= 1040 for line in lines)


def test_a_picture_is_drawn_whatever_the_text():
    content = render_preview(
        title="\x00" + HOSTILE * 5, lines=["", "x" * 500], kicker="<b>", footer="\n"
    )
    assert Image.open(io.BytesIO(content)).size == (1200, 630)


def test_without_dejavu_pillows_own_font_draws_the_picture(monkeypatch):
    from core import previews

    monkeypatch.setitem(previews.FONT_FILES, "bold", "absent-font.ttf")
    monkeypatch.setitem(previews.FONT_FILES, "regular", "absent-font.ttf")
    previews.font.cache_clear()
    try:
        assert previews.font("bold", 40).getlength("probono") > 0
        content = previews.render_preview(title="Titre", lines=["x"], kicker="k", footer="f")
    finally:
        previews.font.cache_clear()
    assert Image.open(io.BytesIO(content)).size == (1200, 630)
