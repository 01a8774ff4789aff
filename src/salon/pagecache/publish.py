"""Static publishing: kept pages also written as files a front server (nginx) serves itself.

With ``SALON_STATIC_PUBLISH_DIR`` set, every page kept for anonymous readers that is the same
for all of them (no form with a per-visitor field) is written under::

    <dir>/current/<host>/<interface language>/<path>/index.<html|rss|atom|json>  (and .gz)

and, at an address with a query string (a search, a river's second page), under
``index.<query string>.<html|…>``, the query string as the reader sent it, which nginx names
``$args``: only one made of letters, digits and ``%+._=&-`` (no ``/``, so it stays one file
name), as the README's nginx configuration checks too. The host is as nginx's ``$host`` has it:
lower case, without the port; an IPv6 literal host is not published.

``current`` is a symbolic link to ``gens/<generation>``: the folder of the page cache's
generation (see ``store``). A purge makes a new, empty generation folder and switches the link
to it (one ``rename``, atomic), so every published file disappears from the front server's view
at the moment the pages are made stale, whatever their number; the old folders are deleted in
the background. A page is written only into the folder of the generation it was rendered
under, and only while that generation is the current one: a page rendered before a purge and
finished after it lands nowhere. Each file is written under a temporary name and renamed, so
nginx never serves half a file. A lock file orders the writers against the switch.

The README gives the nginx configuration (``try_files`` to the file, else the application).
"""

import fcntl
import logging
import os
import re
import shutil
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

# Content type -> file extension; pages of other types are not published.
EXTENSIONS = {
    "text/html": "html",
    "application/rss+xml": "rss",
    "application/atom+xml": "atom",
    "application/feed+json": "json",
}
# A query string a published file may be named after (nginx's map in the README: the same).
PUBLISHABLE_QUERY = re.compile(r"[A-Za-z0-9%+._=&-]{1,300}")


def folder():
    value = settings.SALON_STATIC_PUBLISH_DIR
    return Path(value) if value else None


@contextmanager
def _locked(root):
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _switch(root, generation_value):
    """Point ``current`` at the generation's folder (made empty if new); caller holds the lock."""
    target = Path("gens") / generation_value
    (root / target).mkdir(parents=True, exist_ok=True)
    os.chmod(root / target, 0o755)
    os.chmod(root / "gens", 0o755)
    link = root / "current"
    try:
        if os.readlink(link) == str(target):
            return False
    except OSError:
        pass
    temporary = root / f".current-{os.getpid()}-{threading.get_ident()}"
    temporary.unlink(missing_ok=True)
    os.symlink(target, temporary)
    os.replace(temporary, link)
    return True


def _sweep(root):
    """Delete the generation folders ``current`` does not point at (a background thread's
    work). Under the lock they are only renamed into ``trash`` (the link may have moved since
    this sweep was started: what is current is read under the lock); deleted after it."""
    trash = root / "trash"
    with _locked(root):
        try:
            current = Path(os.readlink(root / "current")).name
        except OSError:
            return
        trash.mkdir(exist_ok=True)
        for entry in (root / "gens").iterdir():
            if entry.name != current:
                os.replace(entry, trash / f"{entry.name}-{threading.get_ident()}")
    for entry in trash.iterdir():
        shutil.rmtree(entry, ignore_errors=True)


def generation_changed(generation_value):
    """Called by ``store.purge`` after it set a new generation: nothing published before is
    served from now on."""
    root = folder()
    if root is None:
        return
    with _locked(root):
        _switch(root, generation_value)
    threading.Thread(target=_sweep, args=(root,), daemon=True).start()


def _relative_path(request, page):
    """Where a page goes under the generation's folder, or None when it is not published."""
    query = request.META.get("QUERY_STRING", "")
    if query and not PUBLISHABLE_QUERY.fullmatch(query):
        return None
    if page.personal or page.status != 200:
        return None
    extension = EXTENSIONS.get(page.headers.get("Content-Type", "").split(";")[0].strip())
    path = request.path
    if extension is None or not path.startswith("/") or not path.endswith("/"):
        return None
    parts = [part for part in path.split("/") if part]
    # nginx's $host: lower case, without the port.
    host = request.get_host().rsplit(":", 1)[0].lower() if "]" not in request.get_host() else ""
    if not host:
        return None
    if any(part in (".", "..") or "\\" in part or "\0" in part for part in [*parts, host]):
        return None
    name = f"index.{query}.{extension}" if query else f"index.{extension}"
    return Path(host, request.LANGUAGE_CODE, *parts, name)


def _write(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, 0o644)  # read by the front server's own account
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def page_kept(request, page, generation_value, current_generation):
    """Write a kept page (``responses.Page``) as a file if it is publishable and was rendered
    under the generation that is still current (``current_generation()`` is asked under the
    lock)."""
    root = folder()
    if root is None:
        return False
    relative = _relative_path(request, page)
    if relative is None:
        return False
    try:
        with _locked(root):
            if current_generation() != generation_value:
                return False  # purged while it was rendered: it may show the old content
            _switch(root, generation_value)
            path = root / "gens" / generation_value / relative
            for parent in reversed(path.relative_to(root).parents):
                if parent != Path("."):
                    (root / parent).mkdir(exist_ok=True)
                    os.chmod(root / parent, 0o755)
            _write(path, page.content)
            if page.packed is not None:
                _write(path.with_name(path.name + ".gz"), page.packed)
        return True
    except OSError as error:  # a full disk must not cost the reader the page
        logger.warning("could not publish %s: %s", request.path, error)
        return False
