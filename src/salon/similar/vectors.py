"""A post's vector: what the similarity of two posts is computed from.

A post contributes to several *language spaces*: its own text (title and body) to the space of
its language, and each of its summaries to the space of the summary's language. So a French
post with an English summary has words in the English space too, and meets English posts there;
an English post with a French summary meets French posts in the French space. Tags form one
more part, shared by all languages (a tag is the same tag whatever the post's language).

A summary is a bridge between languages, not a second description of the post: it meets the
other posts' own texts, never their summaries (two posts that share a boilerplate summary,
"I republish my weekly column here", are not alike for that). So the score of two posts is the
dot product of their vectors minus the products of their summary parts.

Each part is weighted TF-IDF (``1 + ln tf`` times ``idf``), normalised to a length that says how
much it counts (own text 1, each summary ``SALON_SIMILAR_SUMMARY_WEIGHT``, tags
``SALON_SIMILAR_TAG_WEIGHT``); the whole vector is then normalised to length 1 and only its
``SALON_SIMILAR_TERMS_PER_POST`` heaviest terms are kept. The similarity of two posts is the dot
product of their vectors (less the summary-to-summary products), between 0 and 1, whose every
term can be shown
(``salon similar show``).

Terms are strings: ``fr:numer`` (a stem in a language space) or ``#12`` (the tag with id 12).
The same functions serve the full rebuild and the update of one post, so both give the same
weights for the same document frequencies.
"""

import html
import math
import re
from collections import Counter

import numpy as np

from salon.languages.analysis import analyse, tokenize

from . import conf

# How vectors and posting lists are stored (models.Document.vector, models.Term.postings).
# Weights are stored as float32 (both paths compute with the stored values, so the rebuild and
# an update agree); a negative weight marks a term that comes from a summary.
ENTRY = np.dtype([("term", "<i8"), ("weight", "<f4")])
POSTING = np.dtype([("post", "<i8"), ("weight", "<f4")])
IDS = np.dtype("<i8")
FLOOR = np.dtype([("post", "<i8"), ("floor", "<f8")])

_TAG = re.compile(r"<[^>]*>")
MAX_TERM_LENGTH = 60


def html_to_text(markup):
    """The text of a post's HTML body (tags dropped, entities decoded)."""
    return html.unescape(_TAG.sub(" ", markup or ""))


def tag_term(tag_id):
    return f"#{tag_id}"


# Word -> index term (or None for a stop word), per language. ``analyse`` treats each word on
# its own once the text is split, so analysing each distinct word once gives the same terms;
# words repeat so much that this makes a rebuild several times faster.
_MEMO = {}
_MEMO_LIMIT = 200_000


def _terms(text, language):
    memo = _MEMO.get(language)
    if memo is None or len(memo) > _MEMO_LIMIT:
        memo = _MEMO[language] = {}
    terms = []
    for word in tokenize(text):
        term = memo.get(word, False)
        if term is False:
            analysed = analyse(word, language)
            term = memo[word] = (
                f"{language}:{analysed[0]}"
                if len(analysed) == 1 and len(analysed[0]) <= MAX_TERM_LENGTH
                else None
            )
        if term is not None:
            terms.append(term)
    return terms


def post_parts(language, title, body_html, summaries, tag_ids):
    """The parts of a post's vector: ``[(length, {term: tf}, is_summary), ...]``.

    ``summaries`` is an iterable of ``(language, text)``; a summary in the post's own language
    (which the blog does not allow anyway) would say nothing new and is ignored.
    """
    title_weight = conf.get("SALON_SIMILAR_TITLE_WEIGHT")
    own = Counter()
    for term in _terms(title, language):
        own[term] += title_weight
    own.update(_terms(html_to_text(body_html), language))
    parts = [(1.0, own, False)] if own else []
    summary_weight = float(conf.get("SALON_SIMILAR_SUMMARY_WEIGHT"))
    for summary_language, text in summaries:
        if summary_language == language:
            continue
        counts = Counter(_terms(text, summary_language))
        if counts:
            parts.append((summary_weight, counts, True))
    tags = {tag_term(tag_id): 1 for tag_id in tag_ids}
    if tags:
        parts.append((float(conf.get("SALON_SIMILAR_TAG_WEIGHT")), tags, False))
    return parts


def distinct_terms(parts):
    terms = set()
    for _, counts, _ in parts:
        terms.update(counts)
    return terms


def idf(df, documents):
    """Smoothed inverse document frequency; 0 for a term too common to mean anything."""
    if df <= 0:
        return 0.0
    if (
        documents >= conf.get("SALON_SIMILAR_MAX_DF_FROM")
        and df > conf.get("SALON_SIMILAR_MAX_DF") * documents
    ):
        return 0.0
    return math.log((documents + 1) / (df + 1)) + 1.0


def weigh(parts, idf_of, limit=None):
    """The normalised, truncated vector of a post: ``[(term, weight, is_summary), ...]``,
    heaviest first.

    ``parts`` come from ``post_parts`` (with terms possibly replaced by ids); ``idf_of(term)``
    gives a term's idf. Ties are broken by term so the result never depends on dict order.
    """
    if limit is None:
        limit = conf.get("SALON_SIMILAR_TERMS_PER_POST")
    vector, from_summary = {}, set()
    for length, counts, is_summary in parts:
        raw = {}
        for term, tf in counts.items():
            weight = idf_of(term)
            if weight:
                raw[term] = (1.0 + math.log(tf)) * weight
        norm = math.sqrt(sum(value * value for value in raw.values()))
        if not norm:
            continue
        for term, value in raw.items():
            vector[term] = vector.get(term, 0.0) + length * value / norm
            if is_summary:
                from_summary.add(term)
    total = math.sqrt(sum(value * value for value in vector.values()))
    if not total:
        return []
    ranked = sorted(vector.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return [(term, value / total, term in from_summary) for term, value in ranked]


def pack_vector(vector):
    """``[(term id, weight, is_summary), ...]`` -> bytes (weights rounded to float32)."""
    array = np.empty(len(vector), dtype=ENTRY)
    if vector:
        array["term"] = [term for term, _, _ in vector]
        array["weight"] = [-weight if is_summary else weight for _, weight, is_summary in vector]
    return array.tobytes()


def unpack(data, dtype):
    return np.frombuffer(bytes(data or b""), dtype=dtype)


def pack_ids(ids):
    return np.asarray(sorted(ids), dtype=IDS).tobytes()
