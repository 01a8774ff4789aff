"""The small bilingual blog most feed tests read."""

import pytest

from salon.blog.models import Series, Status

from .helpers import make_post


@pytest.fixture(autouse=True)
def rendered_feeds(settings):
    """These tests are about the feed views themselves (their validators, their queries), so
    every request reaches them; keeping feeds is tested with the page cache."""
    settings.SALON_PAGE_CACHE_SECONDS = 0


@pytest.fixture
def blog(db):
    """A French post with an English summary, an English post with a French summary (and an
    image with a relative address), a series of two, a draft and a scheduled post."""
    walks = Series.objects.create(title="Marches", description="Marcher en ville.")
    data = {
        "velo": make_post(
            "Le vélo en hiver",
            "fr",
            days_ago=1,
            body="Des *gants* chauds. [Voir](/tag/velo/) et [la note](#note).\n\n"
            '<img src="/media/velo.jpg" alt="Un vélo" srcset="/media/velo-2x.jpg 2x">',
            summaries={"en": "Cycling through a dark, wet winter."},
            tags=["vélo", "ville"],
        ),
        "bread": make_post(
            "Sourdough notes",
            "en",
            days_ago=2,
            body="Our starter has *no* owner.",
            summaries={"fr": "Carnet de levain d'une cuisine partagée."},
            tags=["cuisine"],
        ),
        "walk1": make_post("Marche 1", "fr", days_ago=4, series=walks, position=1, tags=["ville"]),
        "walk2": make_post("Walk 2", "en", days_ago=3, series=walks, position=2),
        "draft": make_post("Brouillon secret", "fr", status=Status.DRAFT, tags=["ville"]),
        "future": make_post(
            "Plus tard", "fr", days_ago=-3, status=Status.SCHEDULED, tags=["ville"]
        ),
    }
    data["series"] = walks
    return data
