"""What Salon keeps in its data dir is private to the account that runs it, whatever the
process umask: the data dir 0700; the generated secret key, the SQLite database and its -wal
and -shm files 0600; the file cache's folder 0700 and its files 0600."""

import os
import stat
import subprocess
import sys
import textwrap

import pytest


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture(autouse=True)
def usual_umask():
    """The usual 022, inherited by the processes the tests start."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def start_salon(data_dir):
    """A fresh process on the embedded default (SQLite and file cache in ``data_dir``) that
    writes to its database and its cache, and prints the modes while the database is open."""
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "SALON_CACHE_URL", "SALON_SECRET_KEY")
    }
    environment.update(SALON_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="salon.settings")
    code = textwrap.dedent("""
        import os, stat, django
        django.setup()
        from django.conf import settings
        from django.core.cache import cache
        from django.db import connection
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE IF NOT EXISTS note (text TEXT)")
            cursor.execute("INSERT INTO note VALUES ('private')")
        cache.set("page", "kept")
        name = settings.DATABASES["default"]["NAME"]
        for path in (name, f"{name}-wal", f"{name}-shm"):
            print(os.path.basename(path), oct(stat.S_IMODE(os.stat(path).st_mode)))
    """)
    result = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return dict(line.split() for line in result.stdout.splitlines())


def test_the_data_dir_and_what_it_holds_are_private(tmp_path):
    data = tmp_path / "data"
    open_modes = start_salon(data)
    assert open_modes == {
        "salon.sqlite3": "0o600",
        "salon.sqlite3-wal": "0o600",
        "salon.sqlite3-shm": "0o600",
    }
    assert mode(data) == 0o700
    assert mode(data / "secret_key") == 0o600
    assert mode(data / "salon.sqlite3") == 0o600
    assert mode(data / "cache") == 0o700
    cached = [path for path in (data / "cache").iterdir() if path.is_file()]
    assert cached and all(mode(path) == 0o600 for path in cached)


def test_an_existing_data_dir_and_database_left_readable_are_made_private(tmp_path):
    """A data dir made by an older Salon (0755, database 0644) is tightened at start."""
    data = tmp_path / "data"
    start_salon(data)
    data.chmod(0o755)
    (data / "salon.sqlite3").chmod(0o644)
    start_salon(data)
    assert mode(data) == 0o700
    assert mode(data / "salon.sqlite3") == 0o600
