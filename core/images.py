"""Uploaded images, safe by construction: ``ImageUploadField`` refuses what is too heavy,
too large or not an image, with a reason a person can act on, and stores a re-encoded
copy (pixels only: no metadata, no embedded payload, the file's own name dropped)."""

from __future__ import annotations

import io
import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import models
from django.db.models.fields.files import FieldFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 2 * 1024 * 1024
MAX_SIDE = 2000
FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


def validate_image(file: File[Any]) -> None:
    """At most ``MAX_BYTES``, ``MAX_SIDE`` pixels a side, a JPEG, PNG, WebP or GIF image."""
    if file.size is not None and file.size > MAX_BYTES:
        raise ValidationError(
            _("Cette image pèse %(size)s : %(max)s au plus."),
            code="image_too_heavy",
            params={"size": filesizeformat(file.size), "max": filesizeformat(MAX_BYTES)},
        )
    file.seek(0)
    try:
        with Image.open(file) as image:
            kind, (width, height) = image.format, image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            _("Ce fichier n'est pas une image lisible : envoyez un JPEG, un PNG ou un WebP."),
            code="image_unreadable",
        ) from None
    finally:
        file.seek(0)
    if kind not in FORMATS:
        raise ValidationError(
            _("Les images %(kind)s ne sont pas acceptées : envoyez un JPEG, un PNG ou un WebP."),
            code="image_format",
            params={"kind": kind},
        )
    if max(width, height) > MAX_SIDE:
        raise ValidationError(
            _("Cette image mesure %(width)s × %(height)s pixels : %(max)s pixels de côté au plus."),
            code="image_too_large",
            params={"width": width, "height": height, "max": MAX_SIDE},
        )


def reencode(file: File[Any]) -> ContentFile[bytes]:
    """A fresh PNG (when the image has transparency) or JPEG of the image's pixels."""
    file.seek(0)
    with Image.open(file) as source:
        source.seek(0)  # the first frame of an animation
        image = ImageOps.exif_transpose(source)
        has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
        out = io.BytesIO()
        if has_alpha:
            image.convert("RGBA").save(out, "PNG", optimize=True)
            extension = "png"
        else:
            image.convert("RGB").save(out, "JPEG", quality=88, optimize=True)
            extension = "jpg"
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{extension}")


class ImageUploadFormField(forms.ImageField):
    """Checks the upload with ``validate_image`` before Django opens it as an image, so
    that a person reads what is wrong with their file."""

    def to_python(self, data: Any) -> Any:
        if data not in self.empty_values:
            validate_image(data)
        return super().to_python(data)


class ImageUploadField(models.ImageField):
    """An ``ImageField`` that validates with ``validate_image`` and re-encodes new files."""

    default_validators = [validate_image]

    def formfield(
        self,
        form_class: type[forms.Field] | None = None,
        choices_form_class: type[forms.ChoiceField] | None = None,
        **kwargs: Any,
    ) -> forms.Field | None:
        return super().formfield(
            form_class=form_class or ImageUploadFormField,
            choices_form_class=choices_form_class,
            **kwargs,
        )

    def pre_save(self, model_instance: models.Model, add: bool) -> FieldFile:
        file: FieldFile = getattr(model_instance, self.attname)
        if file and not getattr(file, "_committed", True):
            file.file = reencode(file.file)
            file.name = file.file.name
        saved: FieldFile = super().pre_save(model_instance, add)
        return saved
