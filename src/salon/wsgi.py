import gc
import os
import sys

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "salon.settings")
django_application = get_wsgi_application()

from salon.pagecache.wsgi import KeptPagesFirst  # noqa: E402 (needs Django set up)

# Kept pages the same for everyone are answered before Django's handler (see that module).
application = KeptPagesFirst(django_application)


def _settle():
    """Load what every request uses (the URL patterns, the public pages' templates), then
    freeze the objects made so far out of the garbage collector's reach.

    A started Salon holds about 120,000 objects that live as long as the process; each full
    collection walked them all, stalling every thread of the worker for some 80 ms every few
    seconds under load (most of the 99th percentile of an uncached page). ``gc.freeze()`` is
    Python's own advice for servers: the collector then sees only what requests make.

    And the interpreter hands its lock over after 0.5 ms instead of 5: a thread back from a
    short wait outside it (a socket write, a hash of the page, an SQLite call) otherwise waited
    up to 5 ms for a neighbour rendering a page to let go (the "convoy" of Python's threads),
    and with four threads per process that left a core idle half the time under load
    (bench/README.md: the CPU per uncached page fell by up to a fifth in paired runs)."""
    from django.template import TemplateDoesNotExist
    from django.template.loader import get_template
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports every app's views and URLconf)
    for name in (
        "base.html",
        "blog/river.html",
        "blog/series.html",
        "blog/post_detail.html",
        "blog/page_detail.html",
        "search/search.html",
    ):
        try:
            get_template(name)
        except TemplateDoesNotExist:
            pass
    gc.freeze()
    sys.setswitchinterval(0.0005)


_settle()
