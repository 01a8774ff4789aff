"""What the tests of every app share about outside resources (never used by the site itself).

Some tests need something a checkout does not hold: the shared corpus of real exports beside
it (``../shared/corpus``), a second Salon instance started from the ``salon`` command, Chromium.
CI always has them, so there a missing one is a failure; on a developer's machine the test is
skipped with a reason that says how to run it. ``CI`` set to anything but empty, ``0`` or
``false`` means CI (CI services set it; ``.ci/run`` sets it too).
"""

import os
import socket
import unittest
from pathlib import Path

# The checkout's parent holds ``shared/corpus`` on CI (and on the development machine).
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"


def free_port():
    """A TCP port on the loopback address that nothing listens on at the moment (for a server a
    test starts: a second Salon, nginx, an SMTP server)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def under_ci():
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def require(available, missing, how_to_run, *, required=False):
    """Let the test go on if ``available``; else fail under CI (or when ``required``), skip
    elsewhere with ``missing`` and ``how_to_run`` as the reason.

    Raises ``unittest.SkipTest`` and ``AssertionError`` (both plain ``Exception``), not
    pytest's own outcomes (``BaseException``): this may run in a TestCase's
    ``setUpTestData``, whose clean-up (rolling back the class transaction) only catches
    ``Exception``; an escaping skip left the test database locked for every later test.
    """
    if available:
        return
    if required or under_ci():
        raise AssertionError(f"{missing} (CI is set: it must be there)")
    raise unittest.SkipTest(f"{missing}: {how_to_run}")


def corpus_file(relative):
    """The path of a file of the shared corpus; a skip or a failure (see ``require``) when the
    corpus is not beside this checkout."""
    path = CORPUS / relative
    require(
        path.is_file(),
        f"{path} is not there",
        f"link the shared corpus beside this checkout (ln -s /path/to/shared/corpus "
        f"{CORPUS}) to run this test",
    )
    return path
