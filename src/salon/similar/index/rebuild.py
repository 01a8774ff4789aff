"""The full rebuild: every post's vector and list recomputed from the posts.

Three stages: analyse every post (text to terms, document frequencies), compare every post with
every other (``pairs.py``), then replace the stored index in one transaction, so pages read
either the old lists or the new ones.
"""

import logging
import time
from array import array
from dataclasses import dataclass, field

import numpy as np
from django.db import transaction
from django.utils import timezone

from salon.blog.models import Post

from .. import conf
from ..models import Document, IndexState, SimilarPost, Term
from ..signals import lists_changed
from ..vectors import ENTRY, FLOOR, POSTING, distinct_terms, idf, pack_ids, post_parts, weigh
from .pairs import all_pairs
from .storage import indexed_posts, insert, post_records, reset_sequences

logger = logging.getLogger(__name__)


class Reporter:
    """Progress of a rebuild; the command shows it as a progress bar. This one says nothing."""

    def stage(self, label, total):
        pass

    def advance(self, amount=1):
        pass


@dataclass
class Corpus:
    """Every indexed post analysed, with its terms numbered in one vocabulary (ids from 1)."""

    post_ids: list = field(default_factory=list)  # in id order; a post's index is its place
    groups: dict = field(default_factory=dict)  # translation key -> indexes of its posts
    # Per post: [(length, term ids, term frequencies, is_summary)] for each of its parts.
    documents: list = field(default_factory=list)
    vocabulary: dict = field(default_factory=dict)  # term -> id
    df: array = field(default_factory=lambda: array("l"))  # document frequency of id - 1


@dataclass
class Entries:
    """Every weighted term of every post, as parallel arrays (one item per vector entry)."""

    rows: np.ndarray  # the post's index
    cols: np.ndarray  # the term id
    vals: np.ndarray  # the weight, float32 as stored
    flags: np.ndarray  # True for a term from a summary
    term_lists: list  # per post, every term id it contains, packed


def rebuild(reporter=None):
    """Recompute every post's vector and list. Returns a dict of figures."""
    from scipy import sparse  # here: only a rebuild needs it, and it is slow to import

    reporter = reporter or Reporter()
    started = time.perf_counter()
    corpus = _analyse(indexed_posts(), reporter)
    count = len(corpus.post_ids)
    idfs = [0.0] + [idf(value, count) for value in corpus.df]
    reporter.stage("compare", count)
    entries = _weigh(corpus.documents, idfs)
    corpus.documents = None  # the memory goes back before the products
    lists, complete = all_pairs(
        np,
        sparse,
        count,
        len(corpus.vocabulary) + 1,
        (entries.rows, entries.cols, entries.vals.astype(np.float64), entries.flags),
        corpus.groups,
        conf.kept(),
        float(conf.get("SALON_SIMILAR_MIN_SCORE")),
        reporter,
    )
    _write(corpus, entries, lists, complete, reporter)
    figures = {
        "posts": count,
        "terms": len(corpus.vocabulary),
        "postings": len(entries.rows),
        "links": sum(len(found) for found in lists),
        "seconds": time.perf_counter() - started,
    }
    transaction.on_commit(lambda: lists_changed.send(sender=Post, post_ids=None))
    logger.debug("similar posts rebuilt: %s", figures)
    return figures


def _analyse(queryset, reporter):
    """Stage 1: each post's parts, with terms replaced by ids in one vocabulary."""
    reporter.stage("analyse", queryset.count())
    summaries, tags = post_records(queryset)
    corpus = Corpus()
    for post_id, language, title, body_html, translation_key in (
        queryset.order_by("id")
        .values_list("id", "language", "title", "body_html", "translation_key")
        .iterator(chunk_size=2000)
    ):
        parts = post_parts(
            language, title, body_html, summaries.pop(post_id, ()), tags.pop(post_id, ())
        )
        corpus.groups.setdefault(translation_key, []).append(len(corpus.post_ids))
        corpus.post_ids.append(post_id)
        corpus.documents.append([_numbered(corpus, part) for part in parts])
        reporter.advance()
    return corpus


def _numbered(corpus, part):
    """One part with its terms as ids (new terms get the next ids), counted in ``df``."""
    length, counts, is_summary = part
    vocabulary, df = corpus.vocabulary, corpus.df
    for term in sorted(counts.keys() - vocabulary.keys()):
        vocabulary[term] = len(vocabulary) + 1
        df.append(0)
    ids = array("l", [vocabulary[term] for term in counts])
    for term_id in ids:
        df[term_id - 1] += 1
    return length, ids, array("d", counts.values()), is_summary


def _weigh(documents, idfs):
    """Stage 2a: every post's weighted vector, as parallel arrays."""
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
    return Entries(
        rows=np.frombuffer(rows, dtype=np.int64) if rows else np.zeros(0, np.int64),
        cols=np.frombuffer(cols, dtype=np.int64) if cols else np.zeros(0, np.int64),
        # Stored weights are float32: compare with exactly what an update will read back.
        vals=(np.frombuffer(vals, dtype=np.float64) if vals else np.zeros(0)).astype(np.float32),
        flags=(np.frombuffer(flags, dtype=np.int8) if flags else np.zeros(0, np.int8)).astype(bool),
        term_lists=term_lists,
    )


def _write(corpus, entries, lists, complete, reporter):
    """Stage 3: replace the four tables in one transaction."""
    reporter.stage("write", 4)
    post_ids, count = corpus.post_ids, len(corpus.post_ids)
    ids = np.asarray(post_ids, dtype=np.int64)
    signed = np.where(entries.flags, -entries.vals, entries.vals)
    # Where each term's entries start once sorted by term, and each post's (rows are in order).
    by_term = np.lexsort((entries.rows, entries.cols))
    term_starts = np.searchsorted(entries.cols[by_term], np.arange(len(corpus.vocabulary) + 2))
    post_starts = np.searchsorted(entries.rows, np.arange(count + 1))
    state = IndexState.get()
    with transaction.atomic():
        for model in (SimilarPost, Document, Term):
            model.objects.all().delete()
        reporter.advance()
        insert(
            Term,
            ["id", "key", "df", "postings"],
            _term_rows(corpus, entries.rows, by_term, term_starts, ids, signed),
        )
        reset_sequences(Term)
        reporter.advance()
        insert(
            Document,
            ["post_id", "vector", "terms", "complete", "floor", "size", "indexed_at"],
            _document_rows(post_ids, post_starts, entries, signed, lists, complete),
        )
        reporter.advance()
        insert(
            SimilarPost,
            ["post_id", "similar_id", "score"],
            ((post_ids[i], post_ids[j], score) for i in range(count) for j, score in lists[i]),
        )
        reporter.advance()
        floors = np.empty(count, dtype=FLOOR)
        floors["post"] = ids
        floors["floor"] = [
            -1.0 if complete[i] else (lists[i][-1][1] if lists[i] else 0.0) for i in range(count)
        ]
        state.floors = np.sort(floors, order="post").tobytes()
        state.posts_at_rebuild = count
        state.rebuilt_at = timezone.now()
        state.rebuild_requested_at = None
        state.save()


def _term_rows(corpus, rows, by_term, term_starts, ids, signed):
    """``(id, key, df, postings)`` of every term, its entries found through ``by_term``."""
    for term, term_id in corpus.vocabulary.items():
        chosen = by_term[term_starts[term_id] : term_starts[term_id + 1]]
        postings = np.empty(len(chosen), dtype=POSTING)
        postings["post"] = ids[rows[chosen]]
        postings["weight"] = signed[chosen]
        yield term_id, term, corpus.df[term_id - 1], postings.tobytes()


def _document_rows(post_ids, post_starts, entries, signed, lists, complete):
    """``(post id, vector, terms, complete, floor, size, indexed_at)`` of every post."""
    count = len(post_ids)
    now = timezone.now()
    for index in range(count):
        chosen = slice(post_starts[index], post_starts[index + 1])
        vector = np.empty(post_starts[index + 1] - post_starts[index], dtype=ENTRY)
        vector["term"] = entries.cols[chosen]
        vector["weight"] = signed[chosen]
        found = lists[index]
        yield (
            post_ids[index],
            vector.tobytes(),
            entries.term_lists[index],
            bool(complete[index]),
            found[-1][1] if found else 0.0,
            len(found),
            now,
        )
