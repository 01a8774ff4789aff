"""The similar-posts settings (see docs/design/similar.md).

Only the number of posts shown is meant to be changed by a deployment (``SALON_SIMILAR_POSTS``,
read from the environment with its default in ``salon/settings.py``); the scoring weights are
settings so that they can be tuned and tested, not advertised knobs: their defaults are here,
and only here.
Changing any of them takes effect for every post after ``salon similar rebuild``.
"""

from django.conf import settings

DEFAULTS = {
    # Extra candidates kept beyond those shown, so that an edit that pushes one post out of a
    # list can be absorbed without recomputing that list, and scheduled posts can wait.
    "SALON_SIMILAR_SPARE": 10,
    # Below this score a post is not similar enough to be shown at all.
    "SALON_SIMILAR_MIN_SCORE": 0.03,
    # Terms kept per post (the heaviest ones): bounds the index and the cost of a comparison.
    "SALON_SIMILAR_TERMS_PER_POST": 256,
    # A title word counts as this many body words.
    "SALON_SIMILAR_TITLE_WEIGHT": 3,
    # Length of a summary's part of a post's vector, the post's own text being 1.
    "SALON_SIMILAR_SUMMARY_WEIGHT": 0.6,
    # Length of the tags' part of a post's vector, the post's own text being 1.
    "SALON_SIMILAR_TAG_WEIGHT": 0.5,
    # Terms found in more than this share of the posts say nothing about any one of them
    # (applied from SALON_SIMILAR_MAX_DF_FROM posts on, so a small blog keeps its words).
    "SALON_SIMILAR_MAX_DF": 0.5,
    "SALON_SIMILAR_MAX_DF_FROM": 50,
    # When the blog has grown by this share since the last full rebuild, the next update
    # asks for a rebuild, so that document frequencies (idf) never drift far.
    "SALON_SIMILAR_REBUILD_GROWTH": 0.25,
}


def get(name):
    return getattr(settings, name, DEFAULTS[name])


def shown():
    """Posts shown at the end of a post."""
    return int(settings.SALON_SIMILAR_POSTS)


def kept():
    """How many entries each stored list holds: those shown plus the spares."""
    return shown() + int(get("SALON_SIMILAR_SPARE"))
