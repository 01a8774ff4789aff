"""Fixtures of the portability tests: sample files, the shared corpus, running the commands."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation
from lxml import html

from salon import testing

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def fixture_file():
    def _path(name):
        return FIXTURES / name

    return _path


@pytest.fixture
def corpus_file():
    """A file of ../shared/corpus: a failure under CI when it is not there, a skip (saying how
    to run the test) elsewhere."""
    return testing.corpus_file


@pytest.fixture
def run_command():
    """Run a management command; return what it printed."""

    def _run(name, *args, **options):
        out, err = StringIO(), StringIO()
        with translation.override("en"):  # messages are checked in English
            call_command(name, *[str(a) for a in args], stdout=out, stderr=err, **options)
        return out.getvalue()

    return _run


@pytest.fixture
def import_file(run_command, fixture_file):
    def _import(name, *args):
        path = name if isinstance(name, Path) else fixture_file(name)
        return run_command("import-wxr", path, *args)

    return _import


@pytest.fixture
def parse():
    def _parse(response):
        return html.fromstring(response.content.decode())

    return _parse
