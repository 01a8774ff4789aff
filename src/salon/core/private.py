"""One rule for what Salon writes that holds private data (the database, its backups, exports,
the generated secret key, the file cache): files are 0600 and their folders 0700, whatever the
process umask, so only the account that runs Salon can read them.

Imported by the settings module, so it uses nothing of Django.
"""

import os
import stat
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700


def tighten(path):
    """Take group and others' access away from an existing file or folder. A path that belongs
    to another account (chmod refused) is left as it is: its owner chose its mode."""
    path = Path(path)
    current = stat.S_IMODE(path.stat().st_mode)
    if current & 0o077:
        try:
            os.chmod(path, current & ~0o077)
        except PermissionError:
            pass
    return path


def private_dir(path):
    """Create ``path`` (and missing parents) as a 0700 folder, or tighten it if it exists."""
    path = Path(path)
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    return tighten(path)


def private_file(path):
    """Create ``path`` empty as a 0600 file if it does not exist, else tighten it. SQLite keeps
    the mode of a database file it opens, and gives its -wal and -shm files the same mode."""
    path = Path(path)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    except FileExistsError:
        tighten(path)
    return path


def open_private(path, mode="w", **kwargs):
    """``open()`` for a new or replaced file that is 0600 from its first byte."""
    flags = os.O_CREAT | os.O_TRUNC | (os.O_RDWR if "+" in mode else os.O_WRONLY)
    fd = os.open(path, flags, FILE_MODE)
    os.fchmod(fd, FILE_MODE)  # an existing file keeps its mode through os.open; the umask too
    return os.fdopen(fd, mode, **kwargs)


def make_tree_private(root):
    """Every folder under ``root`` (itself included) 0700, every file 0600: for a copy Salon
    made (backup media), whatever modes the originals had."""
    root = Path(root)
    os.chmod(root, DIR_MODE)
    for folder, dirs, files in os.walk(root):
        for name in dirs:
            os.chmod(Path(folder) / name, DIR_MODE)
        for name in files:
            os.chmod(Path(folder) / name, FILE_MODE)
