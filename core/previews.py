"""Preview images for links shared on social networks and messaging apps (Open Graph and
Twitter cards): 1200×630 PNG pictures with a page's title and a few lines under it.

Text is drawn, never interpreted: whatever a title holds (markup, quotes, control
characters) ends up as pixels. Images are kept in the media storage under
``previews/<key>/<version>.png``; the version comes from the modification time of what
they show (and its text), so an edit makes a new image and the old one is removed.
"""

from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Sequence
from functools import lru_cache

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageDraw, ImageFont

from .documents import clean

logger = logging.getLogger(__name__)

WIDTH, HEIGHT = 1200, 630
MARGIN = 80
BACKGROUND = (27, 94, 122)  # the brand colour (#1b5e7a)
ACCENT = (244, 196, 48)
INK = (255, 255, 255)
SOFT_INK = (214, 232, 240)
# DejaVu ships with Debian (fonts-dejavu-core); Pillow finds it among the system fonts.
# Without it, Pillow's own scalable font draws the same text.
FONT_FILES = {"regular": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf"}
TITLE_SIZES = (68, 60, 52, 46)
TITLE_MAX_LINES = 3
PREFIX = "previews"

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


@lru_cache(maxsize=32)
def font(weight: str, size: int) -> Font:
    try:
        return ImageFont.truetype(FONT_FILES[weight], size)
    except OSError:
        return ImageFont.load_default(size=size)


def _width(text: str, face: Font) -> float:
    return face.getlength(text)


def wrap(text: str, face: Font, width: int, max_lines: int) -> list[str]:
    """``text`` in lines no wider than ``width``, at most ``max_lines`` (the last one
    shortened with an ellipsis if the text goes on)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if _width(candidate, face) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = word
        while len(current) > 1 and _width(current, face) > width:  # longer than a line
            cut = len(current) - 1
            while cut > 1 and _width(current[:cut], face) > width:
                cut -= 1
            lines.append(current[:cut])
            current = current[cut:]
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        return _ellipsis(lines[:max_lines], face, width)
    return lines or [""]


def _ellipsis(lines: list[str], face: Font, width: int) -> list[str]:
    last = lines[-1]
    while last and _width(last + "…", face) > width:
        last = last[:-1].rstrip()
    return [*lines[:-1], last + "…"]


def render_preview(*, title: str, lines: Sequence[str], kicker: str, footer: str) -> bytes:
    """The picture: ``kicker`` (what the page is) above ``title`` in large type, then
    ``lines`` (who, where), then ``footer`` (the site)."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    text_width = WIDTH - 2 * MARGIN
    draw.rectangle((0, 0, 18, HEIGHT), fill=ACCENT)

    # The brand: a white disc in a rounded square, as in the site's icon, and the name.
    draw.rounded_rectangle((MARGIN, 56, MARGIN + 56, 112), radius=14, fill=INK)
    draw.ellipse((MARGIN + 16, 72, MARGIN + 40, 96), fill=BACKGROUND)
    draw.text((MARGIN + 76, 84), "probono", font=font("bold", 40), fill=INK, anchor="lm")

    y = 160
    kicker_face = font("bold", 28)
    draw.text((MARGIN, y), clean(kicker).upper(), font=kicker_face, fill=ACCENT)
    y += 52

    title_text = clean(title)
    face = font("bold", TITLE_SIZES[-1])
    title_lines = wrap(title_text, face, text_width, TITLE_MAX_LINES)
    for size in TITLE_SIZES:
        face = font("bold", size)
        title_lines = wrap(title_text, face, text_width, TITLE_MAX_LINES)
        if not title_lines[-1].endswith("…"):
            break
    line_height = int(face.size * 1.2) if isinstance(face, ImageFont.FreeTypeFont) else 60
    for line in title_lines:
        draw.text((MARGIN, y), line, font=face, fill=INK)
        y += line_height
    y += 24

    detail_face = font("regular", 34)
    for detail in lines:
        detail = clean(detail)
        if not detail or y > HEIGHT - 130:
            continue
        shown = wrap(detail, detail_face, text_width, 1)[0]
        draw.text((MARGIN, y), shown, font=detail_face, fill=SOFT_INK)
        y += 48

    draw.line((MARGIN, HEIGHT - 84, WIDTH - MARGIN, HEIGHT - 84), fill=SOFT_INK, width=2)
    draw.text(
        (MARGIN, HEIGHT - 48),
        wrap(clean(footer), font("regular", 26), text_width, 1)[0],
        font=font("regular", 26),
        fill=SOFT_INK,
        anchor="lm",
    )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def version_of(*parts: object) -> str:
    """A short name for one state of what a picture shows."""
    return hashlib.sha256("\x1f".join(str(part) for part in parts).encode()).hexdigest()[:16]


def cached_preview(key: str, version: str, draw: DrawPreview) -> bytes:
    """The picture of ``key`` at ``version``: read from the media storage, or drawn by
    ``draw()`` and stored there (older versions of ``key`` removed)."""
    folder = f"{PREFIX}/{key}"
    name = f"{folder}/{version}.png"
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as stored:
            kept: bytes = stored.read()
            return kept
    content = draw()
    try:
        _directories, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotImplementedError):
        files = []
    for old in files:
        if old != f"{version}.png":
            default_storage.delete(f"{folder}/{old}")
    try:
        default_storage.save(name, ContentFile(content))
    except OSError:  # a full or read-only disk: serve the picture all the same
        logger.warning("Could not store the preview image %s", name, exc_info=True)
    return content


class DrawPreview:
    """``render_preview``'s arguments, drawn on call (only when the picture is not kept)."""

    def __init__(self, *, title: str, lines: Sequence[str], kicker: str, footer: str) -> None:
        self.title, self.lines, self.kicker, self.footer = title, list(lines), kicker, footer

    def __call__(self) -> bytes:
        return render_preview(
            title=self.title, lines=self.lines, kicker=self.kicker, footer=self.footer
        )
