"""From a post's texts to what the index holds: plain text and analysed terms."""

import re
from functools import lru_cache

import lxml.html
from lxml import etree

from salon.languages.analysis import analyse, tokenize

# Elements whose text is not prose a reader would search for.
_DROPPED = ("script", "style", "template", "noscript", "iframe", "object", "svg")
# Elements that separate words: their end (and <br>) becomes a line break in the plain text.
_BLOCKS = frozenset(
    """address article aside blockquote br dd details div dl dt figcaption figure footer h1 h2
    h3 h4 h5 h6 header hr li main nav ol p pre section summary table td th tr ul""".split()
)
_SPACES = re.compile(r"[ \t\r\f\v]+")
_LINES = re.compile(r"\s*\n\s*")

# A term longer than this is noise (a pasted hash, a run-on URL), not a word.
MAX_TERM_LENGTH = 60
# Engines cap one document's index (PostgreSQL: 1 MB of tsvector); no post needs more terms.
MAX_TERMS = 100_000


def html_to_text(html):
    """The readable text of an HTML fragment: tags out, blocks on their own lines."""
    if not html or not html.strip():
        return ""
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return ""
    etree.strip_elements(root, *_DROPPED, with_tail=False)
    for element in root.iter(etree.Element):
        if isinstance(element.tag, str) and element.tag.lower() in _BLOCKS:
            element.tail = "\n" + (element.tail or "")
    text = "".join(root.itertext())
    text = _SPACES.sub(" ", text)
    return _LINES.sub("\n", text).strip()


def terms(text, language):
    """The index terms of ``text`` read as ``language``, as one space-separated string.

    The same as ``analyse(text, language)``, word by word with a cache: a blog uses a few
    tens of thousands of distinct words, so a rebuild analyses each of them once.
    Underscores separate words here (``\\w`` would keep ``foo_bar`` whole, while both engines'
    tokenizers split it), so indexing and querying see the very same terms on SQLite and
    PostgreSQL.
    """
    if not text:
        return ""
    words = tokenize(text.replace("_", " "))[:MAX_TERMS]
    return " ".join(
        term
        for word in words
        for term in word_terms(word, language)
        if len(term) <= MAX_TERM_LENGTH
    )


@lru_cache(maxsize=200_000)
def word_terms(word, language):
    """``analyse(word, language)`` for one word from ``tokenize`` (cached)."""
    return tuple(analyse(word, language))


def filter_term(kind, value):
    """The index term standing for a filter value: ``filter_term("tag", "small-web")`` ->
    ``zztagsmallx2dxweb``. Letters a-w, y, z and digits stand for themselves, any other
    character (``x`` included) is written ``x<hex>x``, so distinct values give distinct terms
    of letters and digits only (one token for every tokenizer). The prefix keeps them apart
    from words, and queries never search the column that holds them."""
    encoded = "".join(ch if ch in _PLAIN else f"x{ord(ch):x}x" for ch in str(value))
    return f"zz{kind}{encoded}"


_PLAIN = frozenset("abcdefghijklmnopqrstuvwyz0123456789")


def filter_terms(language, year, tag_slugs):
    return " ".join(
        [filter_term("lang", language), filter_term("year", year)]
        + [filter_term("tag", slug) for slug in sorted(tag_slugs)]
    )
