"""What a query searches for, whatever the reader typed.

A query is only ever words: every word is analysed in each configured language (the reader's
language is unknown and a bilingual blog is searched in both), and a document matches when it
holds, for every word, at least one of that word's analyses. ``transformations`` becomes
``transform`` in French and in English; ``numerique`` becomes ``numer`` (French) or
``numeriqu`` (English). Each document was indexed in its own texts' languages, so one of the
analyses meets it.

Nothing the reader types reaches an engine's query syntax: FTS operators (``AND``, ``NEAR``,
``*``, ``-``, quotes) are punctuation or plain words here, and the engine query is written by
the backends from the analysed terms alone (letters and digits).
"""

from dataclasses import dataclass, field

from salon.languages import content_languages
from salon.languages.analysis import analyse, tokenize

from .text import MAX_TERM_LENGTH

# How much of a query is read at all, and how many words of it are searched for.
MAX_QUERY_CHARS = 1000
MAX_WORDS = 16


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    # One group per searched word: the word's analyses (a document must hold one of each).
    groups: tuple = ()
    # True when words were left out because the query was too long.
    truncated: bool = False
    # Words left out because they are function words in one of the languages (``the``, ``les``).
    ignored: tuple = field(default=())

    def __bool__(self):
        return bool(self.groups)

    @property
    def stems(self):
        """Every term any of the words analyses to (what highlighting looks for)."""
        return frozenset(stem for group in self.groups for stem in group)


def _clean(text):
    # Control characters (NUL in particular, which PostgreSQL refuses) are never words.
    return "".join(ch if ch.isprintable() else " " for ch in text)


def parse_query(text):
    text = _clean((text or "")[: MAX_QUERY_CHARS * 2]).strip()
    truncated = len(text) > MAX_QUERY_CHARS
    text = text[:MAX_QUERY_CHARS]
    languages = content_languages()
    groups, ignored = [], []
    for word in tokenize(text.replace("_", " ")):
        analyses = [analyse(word, language) for language in languages]
        if not all(analyses):
            # A stop word in one language (or a lone letter) was not indexed in that
            # language's documents: requiring it would find nothing there.
            if word not in ignored:
                ignored.append(word)
            continue
        group = frozenset(
            term for terms in analyses for term in terms if len(term) <= MAX_TERM_LENGTH
        )
        if not group or group in groups:
            continue
        if len(groups) == MAX_WORDS:
            truncated = True
            break
        groups.append(group)
    return ParsedQuery(text=text, groups=tuple(groups), truncated=truncated, ignored=tuple(ignored))
