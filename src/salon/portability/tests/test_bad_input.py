"""A file Salon cannot read is refused whole with a message naming the file and the place;
the command fails and the database is exactly as it was."""

import os
import subprocess
import sys

import pytest
from django.core.management import CommandError

from salon.blog.models import Post, PostSummary, Redirect, Tag
from salon.conversations.models import Response
from salon.portability import writer
from salon.portability.models import ImportedItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def existing_post():
    return Post.objects.create(title="Déjà là", language="fr", body="Un texte qui reste.")


def snapshot():
    return [
        list(model.objects.order_by("pk").values())
        for model in (Post, PostSummary, Tag, Redirect, Response, ImportedItem)
    ]


@pytest.mark.parametrize(
    "name, expected",
    [
        ("not-xml.wxr", ["not-xml.wxr is not an XML file", "line 1, column 1"]),
        ("truncated.wxr", ["truncated.wxr, line 27", "the XML is damaged", "--recover"]),
        ("plain-rss.xml", ["plain-rss.xml is not a WordPress export", "wp:wxr_version"]),
        ("no-version.wxr", ["no-version.wxr is not a WordPress export", "wp:wxr_version"]),
        ("unknown-version.wxr", ["unknown-version.wxr, line 10", "unknown WXR version “2.0”"]),
        (
            "bad-date.wxr",
            [
                "bad-date.wxr, line 23",
                "“Billet mal daté” (post 2)",
                "“2019-13-45 25:61:00” does not parse",
            ],
        ),
        ("bad-comment-date.wxr", ["comment 5", "“yesterday” does not parse"]),
        ("invalid-utf8.wxr", ["invalid-utf8.wxr, line 26", "Invalid bytes"]),
        ("damaged.wxr", ["damaged.wxr, line 30", "mismatch"]),
    ],
)
def test_refused_with_a_precise_message_and_nothing_written(
    import_file, existing_post, monkeypatch, name, expected
):
    # Batches of one: earlier items are written before the bad one is met, and rolled back.
    monkeypatch.setattr(writer, "BATCH_SIZE", 1)
    before = snapshot()
    with pytest.raises(CommandError) as error:
        import_file(name)
    for fragment in expected:
        assert fragment in str(error.value)
    assert snapshot() == before


def test_a_missing_file_is_named(import_file, tmp_path):
    with pytest.raises(CommandError, match="no-such.wxr: no such file"):
        import_file(tmp_path / "no-such.wxr")


def test_the_command_exits_non_zero(fixture_file, tmp_path):
    """Through the real `salon` command: exit status 1, the message on standard error."""
    env = dict(os.environ, SALON_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="salon.settings")
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "salon", "import-wxr", str(fixture_file("bad-date.wxr"))],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 1
    assert "bad-date.wxr, line 23" in result.stderr


def test_messages_speak_french(fixture_file):
    """The refusal is translated like the rest of the interface."""
    from io import StringIO

    from django.core.management import call_command
    from django.utils import translation

    with translation.override("fr"), pytest.raises(CommandError) as error:
        call_command("import-wxr", str(fixture_file("bad-date.wxr")), stdout=StringIO())
    assert "la date « 2019-13-45 25:61:00 » est illisible. Rien n’a été importé." in str(
        error.value
    )


def test_a_progress_bar_on_a_terminal_and_none_in_a_pipe(fixture_file, tmp_path):
    """Through the real `salon` command: on a terminal (a pseudo-terminal here) rich draws the
    import's progress bar; in a pipe (CI, logs) nothing but the summary is written."""
    import pty
    import select

    env = dict(
        os.environ,
        SALON_DATA_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="salon.settings",
        COLUMNS="100",
    )
    env.pop("DATABASE_URL", None)
    salon = [sys.executable, "-m", "salon"]
    subprocess.run([*salon, "migrate", "-v0"], env=env, check=True, timeout=120)
    command = [*salon, "import-wxr", str(fixture_file("blog.wxr"))]

    piped = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert piped.returncode == 0 and "Importing" not in piped.stderr + piped.stdout
    assert "posts" in piped.stdout  # the summary table

    main, secondary = pty.openpty()
    process = subprocess.Popen(
        command, stdin=secondary, stdout=secondary, stderr=secondary, env=env
    )
    os.close(secondary)
    seen = b""
    while True:
        ready, _, _ = select.select([main], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the terminal closed: the command is over
            break
        if not chunk:
            break
        seen += chunk
    assert process.wait(timeout=60) == 0
    os.close(main)
    assert b"Importing" in seen and "━".encode() in seen
