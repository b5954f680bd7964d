"""The English catalogue is complete and its compiled file is up to date."""

import ast
import gettext
import re
import shutil

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.conftest import IN_CI

CATALOGUE = settings.BASE_DIR / "locale" / "en" / "LC_MESSAGES"
SOURCE_DIRS_SKIPPED = {"tests", "bench", "locale", "static", "staticfiles", "media"}


def read_po(path) -> list[dict]:
    """Entries of a .po file: msgid, msgid_plural, msgstr[n] and flags."""
    entries, entry, key = [], None, None
    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            if entry:
                entries.append(entry)
            entry, key = None, None
            continue
        entry = entry if entry is not None else {"flags": set()}
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[key] += ast.literal_eval(line)
        else:
            key, _, value = line.partition(" ")
            entry[key] = ast.literal_eval(value)
    return [e for e in entries if e.get("msgid")]


def test_every_string_has_an_english_translation():
    entries = read_po(CATALOGUE / "django.po")
    assert len(entries) > 400
    untranslated = [
        e["msgid"]
        for e in entries
        if "fuzzy" in e["flags"] or not all(v for k, v in e.items() if k.startswith("msgstr"))
    ]
    assert untranslated == []


def test_translations_keep_their_placeholders():
    placeholder = re.compile(r"%\(\w+\)[sd]")
    for entry in read_po(CATALOGUE / "django.po"):
        expected = sorted(placeholder.findall(entry.get("msgid_plural") or entry["msgid"]))
        for key, value in entry.items():
            if key.startswith("msgstr"):
                assert sorted(placeholder.findall(value)) == expected, entry["msgid"]


def test_the_compiled_catalogue_matches_the_sources():
    with open(CATALOGUE / "django.mo", "rb") as compiled:
        translations = gettext.GNUTranslations(compiled)
    for entry in read_po(CATALOGUE / "django.po"):
        context, _, msgid = entry["msgid"].rpartition("\x04")
        if "msgctxt" in entry:
            assert translations.pgettext(entry["msgctxt"], msgid) == entry["msgstr"]
        elif "msgid_plural" in entry:
            assert translations.ngettext(msgid, entry["msgid_plural"], 1) == entry["msgstr[0]"]
        else:
            assert translations.gettext(msgid) == entry["msgstr"], msgid


def test_every_string_of_the_sources_is_in_the_english_catalogue(tmp_path, settings, monkeypatch):
    """Extract the strings again (as `make messages` does) into a copy of the catalogue:
    a string marked for translation but missing from the catalogue, or left without
    an English translation, fails here."""
    if shutil.which("xgettext") is None:
        message = "GNU gettext (xgettext) is missing: install Debian's gettext package."
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    for source in settings.BASE_DIR.iterdir():
        if source.name in SOURCE_DIRS_SKIPPED or source.name.startswith("."):
            continue
        if source.is_dir() and (source.name == "templates" or (source / "__init__.py").exists()):
            (tmp_path / source.name).symlink_to(source)
    copy = tmp_path / "locale" / "en" / "LC_MESSAGES"
    copy.mkdir(parents=True)
    shutil.copy(CATALOGUE / "django.po", copy / "django.po")
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)

    call_command("makemessages", locale=["en"], symlinks=True, no_obsolete=True, verbosity=0)

    missing = [
        e["msgid"]
        for e in read_po(copy / "django.po")
        if "fuzzy" in e["flags"] or not all(v for k, v in e.items() if k.startswith("msgstr"))
    ]
    assert missing == [], "run `make messages` and translate these strings"
