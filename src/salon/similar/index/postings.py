"""A post's vector and the posting lists it is in: writing them, and scoring a vector.

Each term's row holds its posting list (every post whose vector holds the term, with its
weight); a post's ``Document`` holds its vector and every term id it contains, so that document
frequencies stay right when it changes.
"""

import numpy as np
from django.db import connection
from django.db.models import F

from .. import conf
from ..models import Document, Term
from ..vectors import (
    ENTRY,
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
from .storage import executemany, fetch, placeholders, table


def scores_of(vector, post_id):
    """``{other post id: score}`` for every post scoring at least the minimum with ``vector``.

    Reads the posting list of each term of the vector and sums the products in numpy; a term
    from a summary only counts against own-text postings (see vectors.py).
    """
    if not len(vector):
        return {}
    mine = dict(zip(vector["term"].tolist(), vector["weight"].tolist(), strict=True))
    posts, products = [], []
    for term_id, data in fetch(
        f"SELECT id, postings FROM {table(Term)} WHERE id IN ({placeholders(mine)})",
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


def replace_vector(post_id, post):
    """Write the post's new vector (or remove it); returns the vector, None when removed."""
    document = Document.objects.filter(post_id=post_id).first()
    old_vector = unpack(document.vector, ENTRY) if document else unpack(b"", ENTRY)
    old_terms = set(unpack(document.terms, IDS).tolist()) if document else set()
    if post is None:
        if old_terms:
            Term.objects.filter(id__in=old_terms).update(df=F("df") - 1)
        update_postings(post_id, old_vector["term"].tolist(), {})
        if document:
            document.delete()
        return None
    packed, new_terms = _weighed_vector(post, old_terms, is_new=document is None)
    vector = unpack(packed, ENTRY)
    update_postings(
        post_id,
        old_vector["term"].tolist(),
        dict(zip(vector["term"].tolist(), vector["weight"].tolist(), strict=True)),
    )
    if document is None:
        document = Document(post_id=post_id)
    document.vector = packed
    document.terms = pack_ids(new_terms)
    document.save()
    return vector


def _weighed_vector(post, old_terms, is_new):
    """``(packed vector, every term id of the post)``; counts the post in its new terms'
    document frequencies (and out of the ones it left)."""
    parts = post_parts(
        post.language,
        post.title,
        post.body_html,
        [(summary.language, summary.text) for summary in post.summaries.all()],
        [tag.pk for tag in post.tags.all()],
    )
    known = _terms(distinct_terms(parts))
    new_terms = {term_id for term_id, _ in known.values()}
    if old_terms - new_terms:
        Term.objects.filter(id__in=old_terms - new_terms).update(df=F("df") - 1)
    if new_terms - old_terms:
        Term.objects.filter(id__in=new_terms - old_terms).update(df=F("df") + 1)
    documents = Document.objects.count() + (1 if is_new else 0)
    # The frequencies just written (the transaction holds the write lock on SQLite).
    dfs = {term_id: df + (term_id not in old_terms) for term_id, df in known.values()}
    ids = {key: term_id for key, (term_id, _) in known.items()}
    by_id = [
        (length, {ids[key]: tf for key, tf in counts.items()}, is_summary)
        for length, counts, is_summary in parts
    ]
    packed = pack_vector(weigh(by_id, lambda term_id: idf(dfs.get(term_id, 0), documents)))
    return packed, new_terms


def _terms(keys):
    """``{key: (term id, df)}`` for these terms, the missing ones created (df 0)."""
    known = {
        key: (term_id, df)
        for key, term_id, df in Term.objects.filter(key__in=keys).values_list("key", "id", "df")
    }
    missing = [Term(key=key, df=0) for key in sorted(keys - known.keys())]
    if missing:
        Term.objects.bulk_create(missing, ignore_conflicts=True)
        known = {
            key: (term_id, df)
            for key, term_id, df in Term.objects.filter(key__in=keys).values_list("key", "id", "df")
        }
    return known


def update_postings(post_id, old_terms, new_entries):
    """Take the post out of its old terms' posting lists and put it in its new ones."""
    touched = sorted(set(old_terms) | set(new_entries))
    if not touched:
        return
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    updates = []
    for term_id, data in fetch(
        f"SELECT id, postings FROM {table(Term)} WHERE id IN ({placeholders(touched)}) "
        f"ORDER BY id{lock}",
        touched,
    ):
        postings = unpack(data, POSTING)
        postings = postings[postings["post"] != post_id]
        if term_id in new_entries:
            entry = np.array([(post_id, new_entries[term_id])], dtype=POSTING)
            postings = np.concatenate([postings, entry])
        updates.append((postings.tobytes(), term_id))
    executemany(f"UPDATE {table(Term)} SET postings = %s WHERE id = %s", updates)
