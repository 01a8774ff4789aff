"""Static files: hashed, compressed names served for a year, collected only when they changed.

``collectstatic`` writes each file under a name holding a hash of its content
(``salon.3f2a….css``) with a gzip copy beside it (WhiteNoise's compressed manifest storage);
pages link the hashed names, so a browser or a proxy may keep them for a year and a new version
of the stylesheet is a new address. ``salon bootstrap`` and ``salon run --production`` collect;
the development server and the tests work without it (the plain names, from the apps' folders).
"""

import hashlib
import json
import os

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core.management import call_command
from whitenoise.storage import CompressedManifestStaticFilesStorage

STAMP = ".salon-collected"


class Storage(CompressedManifestStaticFilesStorage):
    """The manifest storage, which gives the plain name while nothing was collected (a checkout
    served by ``runserver`` before any ``bootstrap``): WhiteNoise finds it in the apps' folders
    (``WHITENOISE_USE_FINDERS``) instead of the page failing on a missing manifest entry."""

    manifest_strict = False

    def stored_name(self, name):
        if not self.hashed_files:
            return name
        try:
            return super().stored_name(name)
        except ValueError:  # a file added since the last collection
            return name


def _sources_fingerprint():
    """A hash of every static file the finders see (name, size, modification time) and of the
    storage that would write them."""
    digest = hashlib.sha256(
        json.dumps([settings.STATIC_URL, settings.STORAGES["staticfiles"]]).encode()
    )
    seen = set()
    for finder in finders.get_finders():
        for path, storage in finder.list(None):
            prefix = getattr(storage, "prefix", None) or ""
            name = f"{prefix}/{path}" if prefix else path
            if name in seen:
                continue
            seen.add(name)
            stat = os.stat(storage.path(path))
            digest.update(f"{name}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def collect(verbosity=0):
    """Run ``collectstatic`` unless the files collected last time are the same as now; True when
    it ran (never with the plain storage of ``SALON_DEBUG`` and the tests). About a second for Salon's and the admin's files; a few milliseconds when nothing
    changed (the usual start)."""
    if not isinstance(staticfiles_storage, ManifestFilesMixin):
        return False  # plain names (SALON_DEBUG, tests): nothing to collect
    stamp = settings.STATIC_ROOT / STAMP
    fingerprint = _sources_fingerprint()
    manifest = settings.STATIC_ROOT / "staticfiles.json"
    if manifest.exists() and stamp.exists() and stamp.read_text() == fingerprint:
        return False
    call_command("collectstatic", interactive=False, verbosity=verbosity)
    stamp.write_text(fingerprint)
    return True
