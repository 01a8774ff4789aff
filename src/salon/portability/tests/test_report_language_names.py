"""The import report names languages in the interface language, as every sentence does."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "interface,lines",
    [
        ("en", ["in French", "in English", "summaries in English", "summaries in French"]),
        ("fr", ["en français", "en anglais", "résumés en anglais", "résumés en français"]),
    ],
)
def test_report_names_languages_in_the_interface_language(fixture_file, interface, lines):
    out = StringIO()
    with translation.override(interface):
        call_command("import-wxr", str(fixture_file("blog.wxr")), "--dry-run", stdout=out)
    report = out.getvalue()
    for line in lines:
        assert f"│ {line} " in report, report
    assert "Français" not in report, "no language is named in itself"
