"""A file `salon import-json` cannot take is refused with the place of the fault (line and
column of broken JSON, the JSON path of a wrong field) and the database is left as it was."""

import json
import os
import subprocess
import sys

import pytest
from django.core.management import CommandError

from salon.blog.demo import load_demo
from salon.blog.models import Post, Tag
from salon.conversations.models import Response

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(run_command, tmp_path):
    """A valid export of the demo blog with one threaded conversation, and an empty site to
    import it into."""
    load_demo()
    post = Post.objects.filter(language="fr").first()
    first = Response.objects.create(post=post, author_name="Sam", content="Bravo")
    Response.objects.create(post=post, parent=first, author_name="Léa", content="Merci")
    run_command("export-json", "-o", tmp_path / "site.json")
    data = json.loads((tmp_path / "site.json").read_text())
    Response.objects.all().delete()
    Post.objects.all().delete()
    Tag.objects.all().delete()
    return data


def snapshot():
    return (Post.objects.count(), Response.objects.count(), Tag.objects.count())


def refused(run_command, path, *fragments):
    before = snapshot()
    with pytest.raises(CommandError) as error:
        run_command("import-json", path)
    for fragment in fragments:
        assert fragment in str(error.value)
    assert "Nothing was imported" in str(error.value)
    assert snapshot() == before
    return str(error.value)


def write(tmp_path, data, name="bad.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1))
    return path


def with_posts_commented(data):
    return next(i for i, p in enumerate(data["posts"]) if p["responses"])


def test_broken_json_names_line_and_column(run_command, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{\n  "format": "salon-export",\n  "version": 2,,\n}\n')
    refused(run_command, path, "broken.json, line 3, column 16", "not valid JSON")


def test_bytes_that_are_not_utf8_are_placed(run_command, tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes('{\n "format": "salon-export",\n "site": "Café"}'.encode("latin-1"))
    refused(run_command, path, "latin1.json, line 3, column 14", "not UTF-8")


@pytest.mark.parametrize("content", ['{"items": []}', "[1, 2]", '{"format": "wxr"}'])
def test_other_json_is_not_a_salon_export(run_command, tmp_path, content):
    path = tmp_path / "other.json"
    path.write_text(content)
    refused(run_command, path, "other.json is not a Salon export", '"format": "salon-export"')


def test_an_unknown_version_is_refused(document, run_command, tmp_path):
    document["version"] = 3
    refused(run_command, write(tmp_path, document), "version 3", "reads versions 1, 2")


def test_a_date_that_is_not_a_date_names_its_path(document, run_command, tmp_path):
    document["posts"][2]["published_at"] = "yesterday"
    refused(
        run_command,
        write(tmp_path, document),
        'posts[2].published_at should be a date in ISO 8601 with its offset, not "yesterday"',
    )


def test_a_nested_field_of_the_wrong_type_names_its_path(document, run_command, tmp_path):
    i = with_posts_commented(document)
    document["posts"][i]["responses"][1]["kind"] = "poke"
    refused(
        run_command,
        write(tmp_path, document),
        f"posts[{i}].responses[1].kind should be one "
        "of “comment”, “reply”, “like”, “repost”, “bookmark”, “mention”",
    )
    document["posts"][i]["responses"][1]["kind"] = "comment"
    document["posts"][0]["sticky"] = "yes"
    refused(run_command, write(tmp_path, document), "posts[0].sticky should be true or false")
    document["posts"][0]["sticky"] = False
    document["pages"][0]["menu_order"] = "1"
    refused(run_command, write(tmp_path, document), "pages[0].menu_order should be an integer")


def test_a_missing_field_is_named(document, run_command, tmp_path):
    del document["posts"][1]["title"]
    refused(run_command, write(tmp_path, document), "posts[1].title is missing")


def test_a_language_the_blog_does_not_have_is_refused(document, run_command, tmp_path):
    document["posts"][0]["language"] = "de"
    refused(
        run_command,
        write(tmp_path, document),
        "posts[0].language should be one of this blog's languages (fr, en)",
    )
    document["posts"][0]["language"] = "fr"
    document["posts"][0]["summaries"] = {"de": "Zusammenfassung"}
    refused(run_command, write(tmp_path, document), "posts[0].summaries.de")


def test_a_reference_to_nothing_is_refused(document, run_command, tmp_path):
    i = with_posts_commented(document)
    document["posts"][i]["responses"][1]["parent"] = 99999
    refused(
        run_command,
        write(tmp_path, document),
        f"posts[{i}].responses[1].parent names 99999, which the document does not hold",
    )
    document["posts"][i]["responses"][1]["parent"] = None
    document["posts"][0]["tags"].append("no-such-tag")
    refused(run_command, write(tmp_path, document), "posts[0].tags[")


def test_a_late_fault_leaves_nothing_written(document, run_command, tmp_path):
    """The last post is too long for its column: the posts before it were already written in
    the transaction, and are rolled back with it."""
    document["posts"][-1]["title"] = "x" * 400
    last = len(document["posts"]) - 1
    refused(
        run_command,
        write(tmp_path, document),
        f"posts[{last}]: title is 400 characters long, at most 300",
    )


def test_a_row_the_database_refuses_leaves_nothing_written(document, run_command, tmp_path):
    """Two posts at one place of a series: the database's constraint refuses the second."""
    in_series = [p for p in document["posts"] if p["series"]]
    in_series[1]["series"]["position"] = in_series[0]["series"]["position"]
    refused(run_command, write(tmp_path, document), "bad.json: the database refused a row")


def test_a_missing_file_is_named(run_command, tmp_path):
    with pytest.raises(CommandError, match="Cannot read .*no-such.json"):
        run_command("import-json", tmp_path / "no-such.json")


def salon(tmp_path, *args, language=None):
    env = dict(os.environ, SALON_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="salon.settings")
    env.pop("DATABASE_URL", None)
    if language:
        env["LANGUAGE_CODE"] = language
    return subprocess.run(
        [sys.executable, "-m", "salon", *args], capture_output=True, text=True, env=env, timeout=120
    )


def test_the_real_command_has_help_and_exits_non_zero(tmp_path):
    """`salon import-json --help` prints its help (no lazy string reaches argparse); a refused
    file exits with status 1 and the message on standard error."""
    result = salon(tmp_path, "import-json", "--help")
    assert result.returncode == 0, result.stderr
    assert "--dry-run" in result.stdout and "salon export-json" in result.stdout
    path = tmp_path / "broken.json"
    path.write_text("{")
    result = salon(tmp_path, "import-json", str(path))
    assert result.returncode == 1
    assert "broken.json, line 1, column 2" in result.stderr


def test_messages_speak_french(run_command, tmp_path):
    """The refusal is translated like the rest of the interface."""
    from io import StringIO

    from django.core.management import call_command
    from django.utils import translation

    path = tmp_path / "broken.json"
    path.write_text('{\n  "format": "salon-export",\n  "version": 2,,\n}\n')
    with translation.override("fr"), pytest.raises(CommandError) as error:
        call_command("import-json", str(path), stdout=StringIO())
    assert "ligne 3, colonne 16 : ce n’est pas du JSON valide" in str(error.value)
