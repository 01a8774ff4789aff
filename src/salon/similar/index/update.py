"""The incremental update: after one post changed, its vector, its list and the lists it enters
or leaves (see docs/design/similar.md).

Each stored list is the exact top of its post's scores, so the other lists only change where the
post enters (it beats the list's floor, or the list holds every candidate) or leaves them; a
list that falls below the number of posts shown while some candidates are not stored is
recomputed.
"""

from collections import defaultdict

import numpy as np
from django.db import transaction
from django.db.models import Subquery
from django.utils import timezone

from salon.blog.models import Post

from .. import conf
from ..models import Document, IndexState, SimilarPost
from ..signals import lists_changed
from ..vectors import ENTRY, FLOOR, unpack
from .postings import replace_vector, scores_of
from .storage import executemany, fetch, indexed_posts, placeholders, table

# Scores from the rebuild's float32 products and from an update's float64 sums differ in the
# last bits; closer than this they are the same score.
EPSILON = 1e-6


def refresh_post(post_id):
    """Bring the index up to date for one post; returns the ids of the lists that changed.

    The post's own list is recomputed against every post sharing a term with it (a numpy sum
    over the posting lists of its terms); then the lists it was in and those it enters follow.
    """
    kept, shown = conf.kept(), conf.shown()
    changed, new_states = {post_id}, {}
    with transaction.atomic():
        state = IndexState.objects.select_for_update().filter(pk=1).first() or IndexState.get()
        floors = unpack(state.floors, FLOOR)
        post = indexed_posts().filter(pk=post_id).prefetch_related("summaries", "tags").first()
        vector = replace_vector(post_id, post)
        indexed = vector is not None
        translations = _translations(post_id, post.translation_key) if indexed else set()
        scores = scores_of(vector, post_id) if indexed else {}
        for other in translations:
            scores.pop(other, None)

        # Its own list.
        if indexed:
            new_states.update(_recompute_list(post_id, translations, scores))
        else:
            SimilarPost.objects.filter(post_id=post_id).delete()

        touched, to_recompute = _follow_in_other_lists(post_id, scores, floors, shown)
        new_states.update(_trim(touched, kept))
        for other in to_recompute:
            new_states.update(_recompute_list(other, _translations(other)))
        changed |= touched | to_recompute
        state.floors = _mirror(floors, new_states, None if indexed else post_id).tobytes()
        IndexState.objects.filter(pk=state.pk).update(floors=state.floors)
    transaction.on_commit(lambda: lists_changed.send(sender=Post, post_ids=sorted(changed)))
    return changed


def _follow_in_other_lists(post_id, scores, floors, shown):
    """Update the post's place in the other posts' lists: kept with its new score, removed, or
    added. Returns ``(lists touched, lists to recompute whole)``. Consumes ``scores``."""
    previous = dict(SimilarPost.objects.filter(similar_id=post_id).values_list("post_id", "score"))
    to_update, to_remove, to_recompute = _stay_or_leave(previous, scores, shown)
    to_add = _entering(floors, scores)
    executemany(
        f"UPDATE {table(SimilarPost)} SET score = %s WHERE post_id = %s AND similar_id = %s",
        [(score, other, post_id) for other, score in to_update],
    )
    SimilarPost.objects.filter(post_id__in=to_remove, similar_id=post_id).delete()
    SimilarPost.objects.bulk_create(
        SimilarPost(post_id=other, similar_id=post_id, score=score) for other, score in to_add
    )
    touched = {other for other, _ in to_update} | set(to_remove) | {o for o, _ in to_add}
    return touched - to_recompute, to_recompute


def _stay_or_leave(previous, scores, shown):
    """For each list the post was in (``{owner: old score}``): ``(to_update, to_remove,
    to_recompute)``. Takes their scores out of ``scores``, leaving those of the lists it may
    enter."""
    states = _states(list(previous), 1.0)
    to_update, to_remove, to_recompute = [], [], set()
    for other, old in previous.items():
        new = scores.pop(other, None)
        complete, floor, size = states.get(other, (True, 0.0, 0))
        # It may stay where the list is still the exact top: its score rose, the list
        # holds every candidate, or it still beats the lowest of the others.
        if new is not None and (
            complete or new >= old - EPSILON or (old > floor + EPSILON and new >= floor - EPSILON)
        ):
            to_update.append((other, new))
        else:
            to_remove.append(other)
            if size - 1 < shown and not complete:
                to_recompute.add(other)
    return to_update, to_remove, to_recompute


def _states(post_ids, best):
    """``{post id: (complete, floor, size)}`` of the lists a score up to ``best`` may enter."""
    if not post_ids:
        return {}
    documents = table(Document)
    if len(post_ids) <= 500:
        rows = fetch(
            f"SELECT post_id, complete, floor, size FROM {documents} "
            f"WHERE post_id IN ({placeholders(post_ids)})",
            list(post_ids),
        )
    else:
        rows = fetch(
            f"SELECT post_id, complete, floor, size FROM {documents} WHERE complete OR floor < %s",
            [best + EPSILON],
        )
    wanted = set(post_ids)
    return {row[0]: (bool(row[1]), row[2], row[3]) for row in rows if row[0] in wanted}


def _translations(post_id, translation_key=None):
    """Ids of the post's translations (which are never listed as similar to it)."""
    if translation_key is None:
        translation_key = Subquery(Post.objects.filter(pk=post_id).values("translation_key")[:1])
    return set(
        Post.objects.filter(translation_key=translation_key)
        .exclude(pk=post_id)
        .values_list("pk", flat=True)
    )


def _recompute_list(post_id, excluded, scores=None):
    """Recompute one post's whole list from the index (or from its ``scores``)."""
    kept = conf.kept()
    if scores is None:
        document = Document.objects.filter(post_id=post_id).only("vector").first()
        if document is None:
            return {}
        scores = scores_of(unpack(document.vector, ENTRY), post_id)
    others = np.fromiter(scores, dtype=np.int64, count=len(scores))
    values = np.fromiter(scores.values(), dtype=np.float64, count=len(scores))
    if excluded:
        keep = ~np.isin(others, list(excluded))
        others, values = others[keep], values[keep]
    if len(values) > kept:
        best = np.argpartition(values, len(values) - kept)[len(values) - kept :]
    else:
        best = np.arange(len(values))
    ranked = sorted(zip((-values[best]).tolist(), others[best].tolist(), strict=True))
    SimilarPost.objects.filter(post_id=post_id).delete()
    SimilarPost.objects.bulk_create(
        SimilarPost(post_id=post_id, similar_id=other, score=-score) for score, other in ranked
    )
    complete, floor = len(values) <= kept, -ranked[-1][0] if ranked else 0.0
    Document.objects.filter(post_id=post_id).update(
        complete=complete,
        floor=floor,
        size=len(ranked),
    )
    return {post_id: (complete, floor)}


def _entering(floors, scores):
    """``[(post id, score)]`` of the lists a post with these ``scores`` enters: it beats the
    list's floor, or the list is complete (floor -1) and takes any score above the minimum."""
    if not scores or not len(floors):
        return []
    others = np.fromiter(scores, dtype=np.int64, count=len(scores))
    values = np.fromiter(scores.values(), dtype=np.float64, count=len(scores))
    where = np.clip(np.searchsorted(floors["post"], others), 0, len(floors) - 1)
    known = floors["post"][where] == others
    floor = floors["floor"][where]
    enter = known & ((floor < 0) | (values > floor + EPSILON))
    return list(zip(others[enter].tolist(), values[enter].tolist(), strict=True))


def _mirror(floors, new_states, removed):
    """The floors array with these lists' new states (and without ``removed``)."""
    floors = floors.copy()
    if removed is not None:
        floors = floors[floors["post"] != removed]
    if not new_states:
        return floors
    posts = np.fromiter(new_states, dtype=np.int64, count=len(new_states))
    values = np.array([-1.0 if complete else floor for complete, floor in new_states.values()])
    where = np.clip(np.searchsorted(floors["post"], posts), 0, max(len(floors) - 1, 0))
    known = (floors["post"][where] == posts) if len(floors) else np.zeros(len(posts), bool)
    floors["floor"][where[known]] = values[known]
    if known.all():
        return floors
    order = np.argsort(posts[~known])
    added = np.empty(len(order), dtype=FLOOR)
    added["post"], added["floor"] = posts[~known][order], values[~known][order]
    return np.insert(floors, np.searchsorted(floors["post"], added["post"]), added)


def _trim(post_ids, kept):
    """After entries were added or removed: cut lists to ``kept``, refresh their state.

    Returns ``{post id: (complete, floor)}`` for the lists it looked at."""
    if not post_ids:
        return {}
    entries = defaultdict(list)
    for row_id, owner, score in fetch(
        f"SELECT id, post_id, score FROM {table(SimilarPost)} "
        f"WHERE post_id IN ({placeholders(post_ids)})",
        list(post_ids),
    ):
        entries[owner].append((score, row_id))
    states = _states(list(post_ids), 1.0)
    surplus, updates, result = [], [], {}
    for owner in post_ids:
        if owner not in states:
            continue
        ranked = sorted(entries.get(owner, []), reverse=True)
        complete = states[owner][0]
        if len(ranked) > kept:
            surplus.extend(row_id for _, row_id in ranked[kept:])
            ranked = ranked[:kept]
            complete = False
        floor = ranked[-1][0] if ranked else 0.0
        updates.append((complete, floor, len(ranked), owner))
        result[owner] = (complete, floor)
    if surplus:
        SimilarPost.objects.filter(id__in=surplus).delete()
    executemany(
        f"UPDATE {table(Document)} SET complete = %s, floor = %s, size = %s WHERE post_id = %s",
        updates,
    )
    return result


def rebuild_wanted():
    """True when a full rebuild should now run: the blog has grown enough since the last one
    for idf to have drifted, and none was asked for since (the request is recorded, so the
    next call says False until a rebuild has run)."""
    growth = float(conf.get("SALON_SIMILAR_REBUILD_GROWTH"))
    state = IndexState.get()
    if state.rebuild_requested_at and (
        not state.rebuilt_at or state.rebuild_requested_at > state.rebuilt_at
    ):
        return False
    documents = Document.objects.count()
    if documents < max(20, state.posts_at_rebuild * (1 + growth)):
        return False
    state.rebuild_requested_at = timezone.now()
    state.save(update_fields=["rebuild_requested_at"])
    return True
