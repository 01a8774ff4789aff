"""Reading the stored lists: what a post page shows, and what ``salon similar show`` explains."""

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from salon.blog.models import PUBLIC_STATUSES, PostSummary, Tag, Visibility

from .. import conf
from ..models import Document, SimilarPost, Term
from ..vectors import ENTRY, unpack


def similar_posts(post, language, limit=None):
    """The posts shown as similar to ``post``, most similar first, in one query.

    Each post carries ``similar_summary``: its summary in ``language`` (the page's), or None.
    Only posts public now are shown; a list row whose post is gone is dropped by the join.
    """
    if post is None or post.pk is None:
        return []
    limit = conf.shown() if limit is None else limit
    summary = PostSummary.objects.filter(post_id=OuterRef("similar_id"), language=language)
    rows = (
        SimilarPost.objects.filter(
            post_id=post.pk,
            similar__status__in=PUBLIC_STATUSES,
            similar__visibility=Visibility.PUBLIC,
            similar__published_at__lte=timezone.now(),
        )
        .select_related("similar")
        .annotate(similar_summary=Subquery(summary.values("text")[:1]))
        .order_by("-score", "-similar__published_at", "similar_id")[:limit]
    )
    hits = []
    for row in rows:
        hit = row.similar
        hit.similar_score = row.score
        hit.similar_summary = row.similar_summary
        hits.append(hit)
    return hits


def explain(post, limit=None):
    """``[(similar post, score, [(term, contribution), ...]), ...]`` for ``post``'s list."""
    rows = list(
        SimilarPost.objects.filter(post_id=post.pk)
        .select_related("similar")
        .order_by("-score", "similar_id")[: limit or conf.kept()]
    )
    vectors = {
        post_id: unpack(vector, ENTRY)
        for post_id, vector in Document.objects.filter(
            post_id__in=[post.pk, *(row.similar_id for row in rows)]
        ).values_list("post_id", "vector")
    }
    mine = {int(entry["term"]): float(entry["weight"]) for entry in vectors.get(post.pk, ())}
    keys = _term_names(mine)
    explained = []
    for row in rows:
        shared = []
        for entry in vectors.get(row.similar_id, ()):
            term_id, weight = int(entry["term"]), float(entry["weight"])
            if term_id in mine and not (weight < 0 and mine[term_id] < 0):
                shared.append((keys[term_id], abs(weight) * abs(mine[term_id])))
        shared.sort(key=lambda item: -item[1])
        explained.append((row.similar, row.score, shared))
    return explained


def _term_names(term_ids):
    """``{term id: shown name}``: the stem (``fr:numer``), or ``#name`` for a tag."""
    keys = dict(Term.objects.filter(id__in=term_ids).values_list("id", "key"))
    tags = dict(
        Tag.objects.filter(
            pk__in=[int(key[1:]) for key in keys.values() if key.startswith("#")]
        ).values_list("pk", "name")
    )
    for term_id, key in keys.items():
        if key.startswith("#"):
            keys[term_id] = f"#{tags.get(int(key[1:]), key[1:])}"
    return keys
