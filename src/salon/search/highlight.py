"""Highlighted snippets: escape everything, then mark the words the query matched.

A word is marked when its analysis in the text's language is one of the query's terms, so
``numérique`` is marked for ``numerique`` and ``organisations`` for ``organisation``, exactly
as the index matched them. To stay fast on long posts, candidates are found with one regular
expression over a folded copy of the text (same length, so positions carry over) and only
they are analysed.
"""

import re
import unicodedata
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import mark_safe

from salon.languages.analysis import analyse

SNIPPET_CHARS = 240
# Long texts are scanned this far for hits (a hit deeper down still matched the search).
SCAN_CHARS = 60_000
MAX_HITS = 400


def _fold_table():
    """Lower-case and accent-fold each character that folds to exactly one character."""
    table = {}
    for code in range(0x41, 0x250):
        char = chr(code)
        decomposed = unicodedata.normalize("NFKD", char)
        folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
        if len(folded) == 1 and folded != char:
            table[code] = folded
    return table


_FOLD = _fold_table()


@lru_cache(maxsize=8192)
def _analysis(word, language):
    return frozenset(analyse(word, language))


class Highlighter:
    def __init__(self, parsed):
        self.stems = parsed.stems
        # A stem is nearly always a prefix of the word, give or take its last letter
        # (``happi`` for ``happy``, ``cheval`` for ``chevaux``).
        prefixes = {stem[:-1] if len(stem) > 3 else stem for stem in self.stems}
        self.pattern = None
        if prefixes:
            alternatives = "|".join(
                re.escape(prefix) for prefix in sorted(prefixes, key=len, reverse=True)
            )
            self.pattern = re.compile(rf"\b(?:{alternatives})\w*")

    def hits(self, text, language):
        """``[(start, end), ...]`` of the words of ``text`` the query matched."""
        if not self.pattern or not text:
            return []
        folded = text[:SCAN_CHARS].translate(_FOLD)
        found = []
        for match in self.pattern.finditer(folded):
            start, end = match.span()
            if _analysis(text[start:end], language) & self.stems:
                found.append((start, end))
                if len(found) == MAX_HITS:
                    break
        return found

    def mark(self, text, language):
        """The whole text, escaped, with its hits in ``<mark>``."""
        return _marked(text, self.hits(text, language), 0, len(text))

    def snippet(self, text, language, chars=SNIPPET_CHARS):
        """``(html, found)``: the part of ``text`` around the best cluster of hits (or its
        beginning when there is none), escaped, hits marked, cuts shown by ellipses."""
        if not text:
            return "", False
        hits = self.hits(text, language)
        if len(text) <= chars:
            return _marked(text, hits, 0, len(text)), bool(hits)
        if not hits:
            end = _word_end(text, chars)
            return mark_safe(escape(text[:end]) + "…"), False
        start = _best_window(text, hits, chars)
        end = _word_end(text, start + chars)
        start = _word_start(text, start)
        return _marked(text, hits, start, end), True


def _best_window(text, hits, chars):
    """Start of the window of ``chars`` holding the most distinct matched words, with the
    first of them a little way in (some context before it)."""
    best_start, best_score = hits[0][0], -1
    right = 0
    for left, (start, _) in enumerate(hits):
        while right < len(hits) and hits[right][1] <= start + chars:
            right += 1
        words = {text[s:e].lower() for s, e in hits[left:right]}
        if len(words) > best_score:
            best_start, best_score = start, len(words)
    return max(0, best_start - chars // 5)


def _word_start(text, position):
    if position <= 0:
        return 0
    space = text.rfind(" ", max(0, position - 30), position)
    return space + 1 if space != -1 else position


def _word_end(text, position):
    if position >= len(text):
        return len(text)
    space = text.find(" ", position, position + 30)
    return space if space != -1 else position


def _marked(text, hits, start, end):
    pieces = ["…"] if start > 0 else []
    cursor = start
    for hit_start, hit_end in hits:
        if hit_end <= start or hit_start < cursor:
            continue
        if hit_start >= end:
            break
        pieces.append(escape(text[cursor:hit_start]))
        pieces.append(f"<mark>{escape(text[hit_start:hit_end])}</mark>")
        cursor = hit_end
    pieces.append(escape(text[cursor:end]))
    if end < len(text):
        pieces.append("…")
    return mark_safe("".join(pieces))
