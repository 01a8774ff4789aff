"""Building and updating the similar-posts index (see docs/design/similar.md).

Public functions:

- ``rebuild(reporter=None)``: recompute every vector and every list from the posts;
- ``refresh_post(post_id)``: after a post was published, edited, unpublished or deleted,
  update its vector, its own list and the lists it enters or leaves;
- ``similar_posts(post, language)``: the list shown at the end of a post, in one query;
- ``explain(post)``: the list with the terms each score comes from.

Which posts are indexed: published and scheduled ones (a scheduled post is kept in the lists
and shown from its publication time on, since nothing happens in the database at that moment).
"""

import logging
import time
from array import array
from collections import defaultdict

import numpy as np
from django.db import connection, transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from salon.blog.models import PUBLIC_STATUSES, Post, PostSummary, Tag

from . import conf
from .models import Document, IndexState, SimilarPost, Term
from .signals import lists_changed
from .vectors import (
    ENTRY,
    FLOOR,
    IDS,
    POSTING,
    distinct_terms,
    idf,
    pack_ids,
    pack_vector,
    post_parts,
    unpack,
    weigh,
)

logger = logging.getLogger(__name__)

# Public and scheduled posts (a scheduled one appears in the lists at its time).
INDEXED_STATUSES = PUBLIC_STATUSES


def indexed_posts():
    return Post.objects.filter(status__in=INDEXED_STATUSES)


class Reporter:
    """Progress of a rebuild; the command shows it as a progress bar. This one says nothing."""

    def stage(self, label, total):
        pass

    def advance(self, amount=1):
        pass


# Reading ----------------------------------------------------------------------------------


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
            similar__status__in=INDEXED_STATUSES,
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
        SimilarPost.objects.filter(post_id=post.pk).select_related("similar")
        .order_by("-score", "similar_id")[: limit or conf.kept()]
    )
    vectors = {
        post_id: unpack(vector, ENTRY) for post_id, vector in Document.objects.filter(
            post_id__in=[post.pk, *(row.similar_id for row in rows)]
        ).values_list("post_id", "vector")
    }
    mine = {int(entry["term"]): float(entry["weight"]) for entry in vectors.get(post.pk, ())}
    keys = dict(Term.objects.filter(id__in=mine).values_list("id", "key"))
    tags = dict(Tag.objects.filter(pk__in=[
        int(key[1:]) for key in keys.values() if key.startswith("#")
    ]).values_list("pk", "name"))
    for term_id, key in keys.items():
        if key.startswith("#"):
            keys[term_id] = f"#{tags.get(int(key[1:]), key[1:])}"
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


# Writing helpers ---------------------------------------------------------------------------


def _table(model):
    return connection.ops.quote_name(model._meta.db_table)


def _insert(model, columns, rows, batch=5000):
    """Insert many rows fast: COPY on PostgreSQL, executemany elsewhere."""
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {_table(model)} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        sql = (
            f"INSERT INTO {_table(model)} ({quoted}) "
            f"VALUES ({', '.join(['%s'] * len(columns))})"
        )
        chunk = []
        for row in rows:
            chunk.append(row)
            if len(chunk) >= batch:
                cursor.executemany(sql, chunk)
                chunk = []
        if chunk:
            cursor.executemany(sql, chunk)


def _post_records(posts_queryset):
    """``(id, language, title, body_html, translation_key)`` plus summaries and tags maps."""
    ids = posts_queryset.values("id")
    summaries = defaultdict(list)
    for post_id, language, text in PostSummary.objects.filter(post_id__in=ids).values_list(
        "post_id", "language", "text"
    ):
        summaries[post_id].append((language, text))
    tags = defaultdict(list)
    for post_id, tag_id in Post.tags.through.objects.filter(post_id__in=ids).values_list(
        "post_id", "tag_id"
    ):
        tags[post_id].append(tag_id)
    return summaries, tags


# Full rebuild ------------------------------------------------------------------------------


def rebuild(reporter=None):
    """Recompute every post's vector and list. Returns a dict of figures.

    Three stages: analyse every post (text to terms, document frequencies), compare every post
    with every other (sparse and dense matrix products, a block of rows at a time, keeping the
    best of each row), then replace the stored index in one transaction, so pages read either
    the old lists or the new ones.
    """
    from scipy import sparse

    reporter = reporter or Reporter()
    started = time.perf_counter()
    queryset = indexed_posts()
    total = queryset.count()
    summaries, tags = _post_records(queryset)

    # 1. Analyse: each post's parts, with terms replaced by ids in one vocabulary.
    reporter.stage("analyse", total)
    vocabulary = {}
    df = array("l")
    post_ids, groups, documents = [], {}, []
    for post_id, language, title, body_html, translation_key in (
        queryset.order_by("id")
        .values_list("id", "language", "title", "body_html", "translation_key")
        .iterator(chunk_size=2000)
    ):
        parts = post_parts(language, title, body_html, summaries.pop(post_id, ()),
                           tags.pop(post_id, ()))
        compact = []
        for length, counts, is_summary in parts:
            for term in sorted(counts.keys() - vocabulary.keys()):
                vocabulary[term] = len(vocabulary) + 1
                df.append(0)
            ids = array("l", [vocabulary[term] for term in counts])
            for term_id in ids:
                df[term_id - 1] += 1
            compact.append((length, ids, array("d", counts.values()), is_summary))
        groups.setdefault(translation_key, []).append(len(post_ids))
        post_ids.append(post_id)
        documents.append(compact)
        reporter.advance()
    count = len(post_ids)
    idfs = [0.0] + [idf(value, count) for value in df]

    # 2. Weigh and compare.
    reporter.stage("compare", count)
    rows, cols, vals, flags = array("l"), array("l"), array("d"), array("b")
    term_lists = []
    for index, compact in enumerate(documents):
        parts = [
            (length, dict(zip(ids, tfs, strict=True)), is_summary)
            for length, ids, tfs, is_summary in compact
        ]
        term_lists.append(pack_ids(distinct_terms(parts)))
        for term_id, weight, is_summary in weigh(parts, idfs.__getitem__):
            rows.append(index)
            cols.append(term_id)
            vals.append(weight)
            flags.append(is_summary)
    del documents
    rows = np.frombuffer(rows, dtype=np.int64) if rows else np.zeros(0, np.int64)
    cols = np.frombuffer(cols, dtype=np.int64) if cols else np.zeros(0, np.int64)
    # Stored weights are float32: compare with exactly what an update will read back.
    vals = (np.frombuffer(vals, dtype=np.float64) if vals else np.zeros(0)).astype(np.float32)
    flags = (np.frombuffer(flags, dtype=np.int8) if flags else np.zeros(0, np.int8)).astype(bool)
    kept, minimum = conf.kept(), float(conf.get("SALON_SIMILAR_MIN_SCORE"))
    lists, complete = _all_pairs(
        np, sparse, count, len(vocabulary) + 1, (rows, cols, vals.astype(np.float64), flags),
        groups, kept, minimum, reporter,
    )

    # 3. Write.
    reporter.stage("write", 4)
    ids = np.asarray(post_ids, dtype=np.int64)
    signed = np.where(flags, -vals, vals)
    by_term = np.lexsort((rows, cols))
    term_starts = np.searchsorted(cols[by_term], np.arange(len(vocabulary) + 2))
    post_starts = np.searchsorted(rows, np.arange(count + 1))

    def term_rows():
        for term, term_id in vocabulary.items():
            chosen = by_term[term_starts[term_id]:term_starts[term_id + 1]]
            postings = np.empty(len(chosen), dtype=POSTING)
            postings["post"] = ids[rows[chosen]]
            postings["weight"] = signed[chosen]
            yield term_id, term, df[term_id - 1], postings.tobytes()

    def document_rows():
        now = timezone.now()
        for index in range(count):
            chosen = slice(post_starts[index], post_starts[index + 1])
            vector = np.empty(post_starts[index + 1] - post_starts[index], dtype=ENTRY)
            vector["term"] = cols[chosen]
            vector["weight"] = signed[chosen]
            entries = lists[index]
            yield (post_ids[index], vector.tobytes(), term_lists[index], bool(complete[index]),
                   entries[-1][1] if entries else 0.0, len(entries), now)

    state = IndexState.get()
    with transaction.atomic():
        for model in (SimilarPost, Document, Term):
            model.objects.all().delete()
        reporter.advance()
        _insert(Term, ["id", "key", "df", "postings"], term_rows())
        _reset_sequences(Term)
        reporter.advance()
        _insert(Document, ["post_id", "vector", "terms", "complete", "floor", "size",
                           "indexed_at"], document_rows())
        reporter.advance()
        _insert(SimilarPost, ["post_id", "similar_id", "score"],
                ((post_ids[i], post_ids[j], score)
                 for i in range(count) for j, score in lists[i]))
        reporter.advance()
        floors = np.empty(count, dtype=FLOOR)
        floors["post"] = ids
        floors["floor"] = [
            -1.0 if complete[i] else (lists[i][-1][1] if lists[i] else 0.0)
            for i in range(count)
        ]
        state.floors = np.sort(floors, order="post").tobytes()
        state.posts_at_rebuild = count
        state.rebuilt_at = timezone.now()
        state.rebuild_requested_at = None
        state.save()
    figures = {
        "posts": count, "terms": len(vocabulary), "postings": len(rows),
        "links": sum(len(entries) for entries in lists),
        "seconds": time.perf_counter() - started,
    }
    transaction.on_commit(lambda: lists_changed.send(sender=Post, post_ids=None))
    logger.debug("similar posts rebuilt: %s", figures)
    return figures


def _reset_sequences(*models):
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def _all_pairs(np, sparse, count, width, entries, groups, kept, minimum, reporter):
    """Each post's best ``kept`` neighbours scoring at least ``minimum``.

    ``entries`` are the vectors as parallel arrays (row, term, weight, from a summary).
    Scores are ``X·Xᵀ − M·Mᵀ`` (``M``: the summary parts). Frequent terms make a product
    dense, which a sparse product does slowly; so the columns of the most frequent terms go
    through a dense (BLAS) product and the rest through a sparse one, a block of rows at a
    time so that memory stays bounded.
    """
    rows_a, cols_a, vals_a, summary_a = entries
    lists = [[] for _ in range(count)]
    complete = np.ones(count, dtype=bool)
    if count < 2:
        reporter.advance(count)
        return lists, complete
    summaries = sparse.csr_matrix(
        (vals_a[summary_a], (rows_a[summary_a], cols_a[summary_a])), shape=(count, width)
    )
    summaries_t = summaries.T.tocsr()
    column_df = np.bincount(cols_a, minlength=width)
    # Dense columns: frequent ones, as many as fit in about 256 MB of float32 (the products'
    # rounding, around 1e-7, is far below EPSILON).
    budget = max(0, int(256e6 // (4 * count)))
    frequent = np.argsort(-column_df, kind="stable")[:budget]
    frequent = frequent[column_df[frequent] > max(count // 50, 8)]
    is_dense = np.zeros(width, dtype=bool)
    is_dense[frequent] = True
    dense_entry = is_dense[cols_a]
    position = np.full(width, -1, dtype=np.int64)
    position[frequent] = np.arange(len(frequent))
    dense = np.zeros((count, len(frequent)), dtype=np.float32)
    dense[rows_a[dense_entry], position[cols_a[dense_entry]]] = vals_a[dense_entry]
    rare = ~dense_entry
    matrix = sparse.csr_matrix(
        (vals_a[rare], (rows_a[rare], cols_a[rare])), shape=(count, width)
    )
    transposed = matrix.T.tocsr()
    siblings = {index: members for members in groups.values() if len(members) > 1
                for index in members}
    block = max(16, int(32e6 // (8 * count)))
    take = min(kept, count - 1)
    for start in range(0, count, block):
        end = min(start + block, count)
        scores = (matrix[start:end] @ transposed - summaries[start:end] @ summaries_t).toarray()
        if len(frequent):
            scores += dense[start:end] @ dense.T
        local = np.arange(end - start)
        scores[local, local + start] = -1.0
        for index in range(start, end):
            for other in siblings.get(index, ()):
                scores[index - start, other] = -1.0
        above = (scores >= minimum).sum(axis=1)
        complete[start:end] = above <= kept
        best = np.argpartition(scores, count - take, axis=1)[:, count - take:]
        best_scores = np.take_along_axis(scores, best, axis=1)
        order = np.lexsort((best, -best_scores), axis=1)
        best = np.take_along_axis(best, order, axis=1)
        best_scores = np.take_along_axis(best_scores, order, axis=1)
        for offset in range(end - start):
            entries = lists[start + offset]
            for other, score in zip(best[offset].tolist(), best_scores[offset].tolist(),
                                    strict=True):
                if score < minimum:
                    break
                entries.append((other, score))
        reporter.advance(end - start)
    return lists, complete


# Incremental update ------------------------------------------------------------------------

# Scores from the rebuild's float32 products and from an update's float64 sums differ in the
# last bits; closer than this they are the same score.
EPSILON = 1e-6


def _scores(vector, post_id):
    """``{other post id: score}`` for every post scoring at least the minimum with ``vector``.

    Reads the posting list of each term of the vector and sums the products in numpy; a term
    from a summary only counts against own-text postings (see vectors.py).
    """
    if not len(vector):
        return {}
    mine = dict(zip(vector["term"].tolist(), vector["weight"].tolist(), strict=True))
    posts, products = [], []
    for term_id, data in _fetch(
        f"SELECT id, postings FROM {_table(Term)} WHERE id IN ({_placeholders(mine)})",
        list(mine),
    ):
        postings = unpack(data, POSTING)
        theirs = postings["weight"].astype(np.float64)
        weight = mine[term_id]
        if weight < 0:
            products.append(np.where(theirs > 0, theirs * -weight, 0.0))
        else:
            products.append(np.abs(theirs) * weight)
        posts.append(postings["post"])
    if not posts:
        return {}
    unique, inverse = np.unique(np.concatenate(posts), return_inverse=True)
    sums = np.bincount(inverse, weights=np.concatenate(products))
    keep = (sums >= float(conf.get("SALON_SIMILAR_MIN_SCORE"))) & (unique != post_id)
    return dict(zip(unique[keep].tolist(), sums[keep].tolist(), strict=True))


def _placeholders(items):
    return ", ".join(["%s"] * len(items))


def _fetch(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _states(post_ids, best):
    """``{post id: (complete, floor, size)}`` of the lists a score up to ``best`` may enter."""
    if not post_ids:
        return {}
    table = _table(Document)
    if len(post_ids) <= 500:
        rows = _fetch(
            f"SELECT post_id, complete, floor, size FROM {table} "
            f"WHERE post_id IN ({_placeholders(post_ids)})", list(post_ids),
        )
    else:
        rows = _fetch(
            f"SELECT post_id, complete, floor, size FROM {table} WHERE complete OR floor < %s",
            [best + EPSILON],
        )
    wanted = set(post_ids)
    return {row[0]: (bool(row[1]), row[2], row[3]) for row in rows if row[0] in wanted}


def _translations(post_id, translation_key=None):
    """Ids of the post's translations (which are never listed as similar to it)."""
    if translation_key is None:
        translation_key = Subquery(
            Post.objects.filter(pk=post_id).values("translation_key")[:1]
        )
    return set(
        Post.objects.filter(translation_key=translation_key).exclude(pk=post_id)
        .values_list("pk", flat=True)
    )


def _replace_vector(post_id, post):
    """Write the post's new vector (or remove it); returns the vector, None when removed."""
    document = Document.objects.filter(post_id=post_id).first()
    old_vector = unpack(document.vector, ENTRY) if document else unpack(b"", ENTRY)
    old_terms = set(unpack(document.terms, IDS).tolist()) if document else set()
    if post is None:
        if old_terms:
            Term.objects.filter(id__in=old_terms).update(df=F("df") - 1)
        _update_postings(post_id, old_vector["term"].tolist(), {})
        if document:
            document.delete()
        return None
    parts = post_parts(
        post.language, post.title, post.body_html,
        [(summary.language, summary.text) for summary in post.summaries.all()],
        [tag.pk for tag in post.tags.all()],
    )
    keys = distinct_terms(parts)
    known = {key: (term_id, df) for key, term_id, df in Term.objects.filter(
        key__in=keys).values_list("key", "id", "df")}
    missing = [Term(key=key, df=0) for key in sorted(keys - known.keys())]
    if missing:
        Term.objects.bulk_create(missing, ignore_conflicts=True)
        known = {key: (term_id, df) for key, term_id, df in Term.objects.filter(
            key__in=keys).values_list("key", "id", "df")}
    new_terms = {term_id for term_id, _ in known.values()}
    if old_terms - new_terms:
        Term.objects.filter(id__in=old_terms - new_terms).update(df=F("df") - 1)
    if new_terms - old_terms:
        Term.objects.filter(id__in=new_terms - old_terms).update(df=F("df") + 1)
    documents = Document.objects.count() + (0 if document else 1)
    # The frequencies just written (the transaction holds the write lock on SQLite).
    dfs = {term_id: df + (term_id not in old_terms) for term_id, df in known.values()}
    known = {key: term_id for key, (term_id, _) in known.items()}
    by_id = [
        (length, {known[key]: tf for key, tf in counts.items()}, is_summary)
        for length, counts, is_summary in parts
    ]
    packed = pack_vector(weigh(by_id, lambda term_id: idf(dfs.get(term_id, 0), documents)))
    vector = unpack(packed, ENTRY)
    _update_postings(
        post_id, old_vector["term"].tolist(),
        dict(zip(vector["term"].tolist(), vector["weight"].tolist(), strict=True)),
    )
    if document is None:
        document = Document(post_id=post_id)
    document.vector = packed
    document.terms = pack_ids(new_terms)
    document.save()
    return vector


def _update_postings(post_id, old_terms, new_entries):
    """Take the post out of its old terms' posting lists and put it in its new ones."""
    touched = sorted(set(old_terms) | set(new_entries))
    if not touched:
        return
    table = _table(Term)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    updates = []
    for term_id, data in _fetch(
        f"SELECT id, postings FROM {table} WHERE id IN ({_placeholders(touched)}) "
        f"ORDER BY id{lock}", touched,
    ):
        postings = unpack(data, POSTING)
        postings = postings[postings["post"] != post_id]
        if term_id in new_entries:
            entry = np.array([(post_id, new_entries[term_id])], dtype=POSTING)
            postings = np.concatenate([postings, entry])
        updates.append((postings.tobytes(), term_id))
    _executemany(f"UPDATE {table} SET postings = %s WHERE id = %s", updates)


def _recompute_list(post_id, excluded, scores=None):
    """Recompute one post's whole list from the index (or from its ``scores``)."""
    kept = conf.kept()
    if scores is None:
        document = Document.objects.filter(post_id=post_id).only("vector").first()
        if document is None:
            return {}
        scores = _scores(unpack(document.vector, ENTRY), post_id)
    others = np.fromiter(scores, dtype=np.int64, count=len(scores))
    values = np.fromiter(scores.values(), dtype=np.float64, count=len(scores))
    if excluded:
        keep = ~np.isin(others, list(excluded))
        others, values = others[keep], values[keep]
    if len(values) > kept:
        best = np.argpartition(values, len(values) - kept)[len(values) - kept:]
    else:
        best = np.arange(len(values))
    ranked = sorted(zip((-values[best]).tolist(), others[best].tolist(), strict=True))
    SimilarPost.objects.filter(post_id=post_id).delete()
    SimilarPost.objects.bulk_create(
        SimilarPost(post_id=post_id, similar_id=other, score=-score) for score, other in ranked
    )
    complete, floor = len(values) <= kept, -ranked[-1][0] if ranked else 0.0
    Document.objects.filter(post_id=post_id).update(
        complete=complete, floor=floor, size=len(ranked),
    )
    return {post_id: (complete, floor)}


def refresh_post(post_id):
    """Bring the index up to date for one post; returns the ids of the lists that changed.

    The post's own list is recomputed against every post sharing a term with it (a numpy sum
    over the posting lists of its terms). Each stored list is the exact top of its post's
    scores, so the other lists only change where this post enters (it beats the list's floor,
    or the list holds every candidate) or leaves them; a list that falls below the number of
    posts shown while some candidates are not stored is recomputed.
    """
    kept, shown = conf.kept(), conf.shown()
    changed, new_states = {post_id}, {}
    with transaction.atomic():
        state = IndexState.objects.select_for_update().filter(pk=1).first() or IndexState.get()
        floors = unpack(state.floors, FLOOR)
        post = (
            indexed_posts().filter(pk=post_id)
            .prefetch_related("summaries", "tags").first()
        )
        vector = _replace_vector(post_id, post)
        indexed = vector is not None
        translations = _translations(post_id, post.translation_key) if indexed else set()
        scores = _scores(vector, post_id) if indexed else {}
        for other in translations:
            scores.pop(other, None)

        # Its own list.
        if indexed:
            new_states.update(_recompute_list(post_id, translations, scores))
        else:
            SimilarPost.objects.filter(post_id=post_id).delete()

        # The lists it was in.
        previous = dict(
            SimilarPost.objects.filter(similar_id=post_id).values_list("post_id", "score")
        )
        states = _states(list(previous), 1.0)
        to_recompute, to_update, to_remove, to_add = set(), [], [], []
        for other, old in previous.items():
            new = scores.pop(other, None)
            complete, floor, size = states.get(other, (True, 0.0, 0))
            # It may stay where the list is still the exact top: its score rose, the list
            # holds every candidate, or it still beats the lowest of the others.
            if new is not None and (
                complete or new >= old - EPSILON
                or (old > floor + EPSILON and new >= floor - EPSILON)
            ):
                to_update.append((other, new))
            else:
                to_remove.append(other)
                if size - 1 < shown and not complete:
                    to_recompute.add(other)
        # The lists it enters.
        to_add = _entering(floors, scores)

        _executemany(
            f"UPDATE {_table(SimilarPost)} SET score = %s WHERE post_id = %s AND similar_id = %s",
            [(score, other, post_id) for other, score in to_update],
        )
        SimilarPost.objects.filter(post_id__in=to_remove, similar_id=post_id).delete()
        SimilarPost.objects.bulk_create(
            SimilarPost(post_id=other, similar_id=post_id, score=score)
            for other, score in to_add
        )
        touched = {other for other, _ in to_update} | set(to_remove) | {o for o, _ in to_add}
        touched -= to_recompute
        new_states.update(_trim(touched, kept))
        for other in to_recompute:
            new_states.update(_recompute_list(other, _translations(other)))
        changed |= touched | to_recompute
        state.floors = _mirror(floors, new_states, None if indexed else post_id).tobytes()
        IndexState.objects.filter(pk=state.pk).update(floors=state.floors)
    transaction.on_commit(lambda: lists_changed.send(sender=Post, post_ids=sorted(changed)))
    return changed


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
    for row_id, owner, score in _fetch(
        f"SELECT id, post_id, score FROM {_table(SimilarPost)} "
        f"WHERE post_id IN ({_placeholders(post_ids)})", list(post_ids),
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
    _executemany(
        f"UPDATE {_table(Document)} SET complete = %s, floor = %s, size = %s WHERE post_id = %s",
        updates,
    )
    return result


def _executemany(sql, rows):
    if rows:
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)


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
