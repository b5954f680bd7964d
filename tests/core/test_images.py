"""Uploaded images: too heavy, too large or not an image is refused with a reason;
what is kept is a re-encoded copy, without the uploaded file's metadata or name."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import modelform_factory
from PIL import Image, PngImagePlugin

from associations.models import Association
from core.images import MAX_SIDE
from tests import factories

pytestmark = pytest.mark.django_db

LogoForm = modelform_factory(Association, fields=["logo"])


def image_bytes(size=(120, 80), kind="PNG", mode="RGB", **save) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, "teal").save(out, kind, **save)
    return out.getvalue()


def upload(association, content: bytes, name="logo.png"):
    form = LogoForm(
        data={}, files={"logo": SimpleUploadedFile(name, content)}, instance=association
    )
    return form


@pytest.fixture
def association(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return factories.AssociationFactory()


def test_a_logo_is_stored_re_encoded_without_its_metadata_or_name(association):
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<script>alert(1)</script>")
    form = upload(association, image_bytes(pnginfo=info), name="../../etc/passwd.png")
    assert form.is_valid(), form.errors
    form.save()
    association.refresh_from_db()
    name = association.logo.name
    assert name.startswith("associations/logos/") and "passwd" not in name
    with Image.open(association.logo.path) as stored:
        assert stored.format == "JPEG" and stored.size == (120, 80)
        assert "Comment" not in stored.info
    with open(association.logo.path, "rb") as raw:
        assert b"<script>" not in raw.read()


def test_transparency_is_kept_as_png(association):
    form = upload(association, image_bytes(mode="RGBA"))
    assert form.is_valid(), form.errors
    form.save()
    with Image.open(association.logo.path) as stored:
        assert stored.format == "PNG" and stored.mode == "RGBA"


@pytest.mark.parametrize(
    ("content", "name", "reason"),
    [
        (image_bytes() + b"\0" * (10 * 1024 * 1024), "lourd.png", "au plus"),
        (image_bytes(size=(MAX_SIDE + 1, 10)), "large.png", "2001 × 10 pixels"),
        (b"<html><script>alert(1)</script></html>", "page.png", "pas une image lisible"),
        (b"", "vide.png", ""),
        (image_bytes(kind="BMP"), "logo.bmp", "BMP"),
    ],
    ids=["10-mb", "2001-px", "html", "empty", "bmp"],
)
def test_bad_logos_are_refused_with_a_reason_and_nothing_is_stored(
    association, content, name, reason
):
    form = upload(association, content, name=name)
    assert not form.is_valid()
    assert reason in " ".join(form.errors["logo"])
    association.refresh_from_db()
    assert not association.logo
