"""The embedded default: settings from the environment, SQLite in WAL mode that never says
"database is locked", a secret key generated once, and a README that documents it all."""

import os
import re
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]
SRC = ROOT / "src" / "salon"


def salon_python(data_dir, code, **env):
    """Run Python code with Salon's settings in a fresh process on the embedded default."""
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment.update(SALON_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="salon.settings", **env)
    prelude = "import django; django.setup()\n"
    result = subprocess.run(
        [sys.executable, "-c", prelude + textwrap.dedent(code)],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_secret_key_is_generated_once_and_kept_private(tmp_path):
    first = salon_python(tmp_path, "from django.conf import settings; print(settings.SECRET_KEY)")
    second = salon_python(tmp_path, "from django.conf import settings; print(settings.SECRET_KEY)")
    assert first == second and len(first) >= 50
    key_file = tmp_path / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_secret_key_from_the_environment_wins(tmp_path):
    key = "x" * 40
    out = salon_python(
        tmp_path,
        "from django.conf import settings; print(settings.SECRET_KEY)",
        SALON_SECRET_KEY=key,
    )
    assert out == key
    assert not (tmp_path / "secret_key").exists()


def test_languages_and_database_come_from_the_environment(tmp_path):
    out = salon_python(
        tmp_path,
        """
        from django.conf import settings
        print(settings.SALON_LANGUAGES, settings.DATABASES["default"]["NAME"])
    """,
        SALON_LANGUAGES="en, de",
    )
    assert out == f"['en', 'de'] {tmp_path / 'salon.sqlite3'}"


def test_sqlite_is_in_wal_mode_with_a_busy_timeout(tmp_path):
    out = salon_python(
        tmp_path,
        """
        from django.db import connection
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            mode = cursor.fetchone()[0]
            cursor.execute("PRAGMA busy_timeout")
            print(mode, cursor.fetchone()[0])
    """,
    )
    mode, timeout = out.split()
    assert mode == "wal"
    assert int(timeout) >= 5000


def test_concurrent_readers_and_writers_never_see_a_locked_database(tmp_path):
    """Eight writer and eight reader threads, each with its own connection, hammer the
    database: every write lands and nobody gets "database is locked"."""
    out = salon_python(
        tmp_path,
        """
        import threading
        from django.core.management import call_command
        from django.db import connection, transaction
        call_command("migrate", verbosity=0)
        from salon.blog.models import Post, Tag
        errors = []

        def writer(n):
            try:
                for i in range(40):
                    with transaction.atomic():
                        tag = Tag.objects.create(name=f"w{n}-{i}")
                        Tag.objects.filter(pk=tag.pk).update(name=f"w{n}-{i}!")
            except Exception as exc:
                errors.append(repr(exc))
            finally:
                connection.close()

        def reader(n):
            try:
                for i in range(80):
                    with transaction.atomic():
                        Tag.objects.count()
                        list(Post.objects.published()[:10])
            except Exception as exc:
                errors.append(repr(exc))
            finally:
                connection.close()

        threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
        threads += [threading.Thread(target=reader, args=(n,)) for n in range(8)]
        for t in threads: t.start()
        for t in threads: t.join()
        print(len(errors), Tag.objects.count(), errors[:3])
    """,
    )
    errors, count, first = out.split(" ", 2)
    assert errors == "0", first
    assert count == "320"


ENV_READ = re.compile(
    r"""(?:environ\.get|environ\[|env_bool|env_list|env_int|env=)\(?\s*["']([A-Z][A-Z0-9_]+)["']"""
)


def test_readme_documents_every_environment_variable():
    readme = (ROOT / "README.md").read_text()
    names = set()
    for source in SRC.rglob("*.py"):
        if "tests" in source.parts or "migrations" in source.parts:
            continue
        names |= set(ENV_READ.findall(source.read_text()))
    names -= {"DJANGO_SETTINGS_MODULE"}
    assert "SALON_DATA_DIR" in names and "DATABASE_URL" in names
    missing = sorted(name for name in names if f"`{name}`" not in readme)
    assert not missing, f"not documented in README.md: {missing}"


def test_readme_documents_every_salon_command():
    readme = (ROOT / "README.md").read_text()
    commands = {
        path.stem for path in SRC.glob("*/management/commands/*.py") if path.stem != "__init__"
    }
    missing = sorted(name for name in commands if f"salon {name}" not in readme)
    assert not missing, f"commands not documented in README.md: {missing}"


def test_readme_quick_start_is_two_commands():
    readme = (ROOT / "README.md").read_text()
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = quick_start.split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in block.splitlines()]
    assert [c for c in commands if c] == ["make run", "make test"]


def test_a_default_is_written_once():
    """A setting defined in settings.py (read from the environment, with its default there) is
    read elsewhere as ``settings.NAME``: no module repeats its default with
    ``getattr(settings, "NAME", default)`` or a DEFAULTS table."""
    import ast

    defined = {
        target.id
        for node in ast.parse((SRC / "settings.py").read_text()).body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name) and target.id.isupper()
    }
    assert {"SALON_COMMENTS_RATE_LIMIT", "SALON_SIMILAR_POSTS", "SALON_FEED_ITEMS"} <= defined
    repeated = set()
    for source in SRC.rglob("*.py"):
        if "tests" in source.parts or source.name == "settings.py":
            continue
        for node in ast.walk(ast.parse(source.read_text())):
            strings = []
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", "") == "getattr"
                and len(node.args) == 3
            ):
                strings = [node.args[1]]
            elif (
                isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "parse_rate_limit"
            ):
                strings = node.args[1:2]  # a second argument would be a default
            elif (
                isinstance(node, ast.Assign)
                and isinstance(node.value, ast.Dict)
                and any("DEFAULT" in getattr(target, "id", "") for target in node.targets)
            ):
                strings = [key for key in node.value.keys if key is not None]
            repeated |= {
                f"{source.relative_to(SRC)}: {string.value}"
                for string in strings
                if isinstance(string, ast.Constant) and string.value in defined
            }
    assert not repeated, f"defaults written twice: {sorted(repeated)}"


def test_connections_persist_with_health_checks_by_default(tmp_path):
    code = """
        from django.conf import settings
        db = settings.DATABASES["default"]
        print(db["CONN_MAX_AGE"], db["CONN_HEALTH_CHECKS"])
    """
    postgres = "postgres://salon@127.0.0.1:5432/salon"
    assert salon_python(tmp_path, code, DATABASE_URL=postgres) == "600 True"
    # SQLite too: opening a connection (PRAGMAs, Django's SQL functions) costs about 1 ms.
    assert salon_python(tmp_path, code) == "600 True"
    assert salon_python(tmp_path, code, SALON_DB_CONN_MAX_AGE="0") == "0 True"
    assert salon_python(tmp_path, code, DATABASE_URL=postgres, SALON_DB_CONN_MAX_AGE="5") == (
        "5 True"
    )
