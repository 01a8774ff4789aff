"""The interface speaks French and English: complete catalogues, pages in the reader's language."""

import shutil
import subprocess
import sys
from gettext import GNUTranslations
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(SRC.glob("**/locale/fr/LC_MESSAGES/django.po"))
needs_gettext = pytest.mark.skipif(
    not shutil.which("msgfmt") or not shutil.which("xgettext"),
    reason="GNU gettext is not installed",
)


def statistics(po_file):
    result = subprocess.run(
        ["msgfmt", "--statistics", "--check-format", "-o", "/dev/null", str(po_file)],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stderr


def test_there_are_catalogues():
    assert SRC / "locale/fr/LC_MESSAGES/django.po" in CATALOGUES


@needs_gettext
@pytest.mark.parametrize("po_file", CATALOGUES, ids=lambda p: str(p.relative_to(SRC)))
def test_every_catalogue_is_complete(po_file):
    """No untranslated and no fuzzy message in any French catalogue."""
    stats = statistics(po_file)
    assert "untranslated" not in stats and "fuzzy" not in stats, stats


@needs_gettext
@pytest.mark.parametrize("po_file", CATALOGUES, ids=lambda p: str(p.relative_to(SRC)))
def test_compiled_catalogue_matches_its_source(po_file, tmp_path):
    """The committed .mo (used where gettext is missing) carries the same messages as the .po."""
    fresh = tmp_path / "fresh.mo"
    subprocess.run(["msgfmt", "-o", str(fresh), str(po_file)], check=True)
    committed = po_file.with_suffix(".mo")
    assert committed.exists(), f"{committed} is missing: run `make messages`"
    with fresh.open("rb") as a, committed.open("rb") as b:
        assert GNUTranslations(a)._catalog == GNUTranslations(b)._catalog


@needs_gettext
def test_every_interface_string_is_in_a_catalogue(tmp_path):
    """Extracting the strings again finds nothing that the catalogues lack."""
    copy = tmp_path / "salon"
    shutil.copytree(SRC, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    subprocess.run(
        [
            "make",
            "-s",
            "-C",
            str(SRC.parents[1]),
            "messages-in",
            f"MESSAGES_SRC={copy}",
            f"PYTHON_BIN={sys.executable}",
        ],
        check=True,
        capture_output=True,
    )
    for po_file in sorted(copy.glob("**/locale/fr/LC_MESSAGES/django.po")):
        stats = statistics(po_file)
        assert "untranslated" not in stats and "fuzzy" not in stats, (
            f"{po_file.relative_to(copy)}: {stats} — run `make messages` and translate"
        )


def test_404_speaks_the_readers_language(client, db):
    french = client.get("/no/such/page/", HTTP_ACCEPT_LANGUAGE="fr")
    assert french.status_code == 404
    assert "Page introuvable" in french.content.decode()
    assert '<html lang="fr">' in french.content.decode()
    english = client.get("/no/such/page/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Page not found" in english.content.decode()


def test_language_switcher_sets_the_interface_language(client, db):
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/en/"})
    assert response.status_code == 302
    assert response["Location"] == "/en/"
    page = client.get("/en/").content.decode()
    assert '<html lang="fr">' in page
    assert "Tous les billets" in page
