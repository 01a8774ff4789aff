"""Per-language text analysis shared by search and similar posts.

``analyse(text, language)`` turns a text into the terms an index should hold: words are
lower-cased, accents folded (so ``numerique`` meets ``numérique``), stop words dropped and the
rest stemmed with the language's Snowball stemmer (PyStemmer), so ``transformations`` meets
``transformation``. Elisions are split (``l'organisation`` -> ``organisation``).
The stop-word lists are short on purpose: the function words of each language, nothing topical.
"""

import re
import unicodedata
from functools import lru_cache

import Stemmer

# Snowball stemmer names for ISO 639-1 codes PyStemmer knows.
STEMMER_NAMES = {
    "ar": "arabic",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "fi": "finnish",
    "fr": "french",
    "hu": "hungarian",
    "it": "italian",
    "nl": "dutch",
    "no": "norwegian",
    "nb": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sv": "swedish",
    "tr": "turkish",
    "ca": "catalan",
    "eu": "basque",
    "ga": "irish",
    "lt": "lithuanian",
    "id": "indonesian",
    "hi": "hindi",
    "ta": "tamil",
}

STOP_WORDS = {
    "fr": set(
        """a à ai aie aient aies ait alors as au aucun aura aurai auraient aurais aurait aux
        avaient avais avait avec avez aviez avions avoir avons ayant c ça ce ceci cela celle
        celles celui ces cet cette ceux chez comme d dans de des du donc dont elle elles en
        encore es est et étaient étais était été êtes étiez étions être eu eue eues eurent eus
        eut eux fait fais faire font furent fut ici il ils j je l la le les leur leurs lui m ma
        mais me même mes moi mon n ne ni nos notre nous on ont ou où par pas peu plus pour
        pourquoi qu quand que quel quelle quelles quels qui s sa sans se sera serai seraient
        serait ses si son sont sous suis sur t ta te tes toi ton tous tout toute toutes très tu
        un une vos votre vous y""".split()
    ),
    "en": set(
        """a about above after again against all am an and any are as at be because been
        before being below between both but by can could did do does doing down during each
        few for from further had has have having he her here hers herself him himself his how
        i if in into is it its itself just me more most my myself no nor not now of off on
        once only or other our ours ourselves out over own same she should so some such than
        that the their theirs them themselves then there these they this those through to too
        under until up very was we were what when where which while who whom why will with
        would you your yours yourself yourselves s t d ll m re ve""".split()
    ),
}

_WORD = re.compile(r"\w+", re.UNICODE)
# French and Italian elisions: l'idée, qu'il, d'autres (straight or typographic apostrophe).
_ELISION = re.compile(r"\b(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu)['’]", re.IGNORECASE)


# Ligatures that NFKD leaves whole but French spells out.
_LIGATURES = {"œ": "oe", "Œ": "Oe", "æ": "ae", "Æ": "Ae"}


def _fold(text):
    """The folding itself: NFKD (compatibility forms too: ``ﬁ`` -> ``fi``), combining marks
    dropped."""
    for ligature, spelled in _LIGATURES.items():
        text = text.replace(ligature, spelled)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# Latin letters with accents (Latin-1 to Latin Extended-B) and the combining diacritics, each
# folded once: ``_fold`` works character by character (NFKD decomposes each one on its own and
# only reorders combining marks, which are all dropped), so a table gives the same result.
_LATIN_FOLDS = {code: _fold(chr(code)) for code in (*range(0x80, 0x250), *range(0x300, 0x370))}


def fold_accents(text):
    """ "Été numérique" -> "Ete numerique" (combining marks removed, œ/æ spelled out).

    Analysis folds every word of every text it reads, so the common cases are fast: ASCII is
    returned as it is, and Latin text is folded by one ``str.translate`` when that leaves only
    ASCII; anything else (other scripts, ``ß``, ``ø``) goes through ``_fold``.
    """
    if text.isascii():
        return text
    folded = text.translate(_LATIN_FOLDS)
    if folded.isascii():
        return folded
    return _fold(text)


@lru_cache(maxsize=16)
def _stemmer(language):
    name = STEMMER_NAMES.get(language)
    if not name or name not in Stemmer.algorithms():
        return None
    return Stemmer.Stemmer(name)


@lru_cache(maxsize=16)
def _folded_stop_words(language):
    return frozenset(fold_accents(word) for word in STOP_WORDS.get(language, ()))


def tokenize(text):
    """Lower-cased words of a text, elisions split off, accents kept."""
    text = _ELISION.sub(" ", text or "")
    return [word.lower() for word in _WORD.findall(text) if not word.isdigit() or len(word) == 4]


def analyse(text, language):
    """The index terms of ``text`` read as ``language``: folded, stop words out, stemmed."""
    stemmer = _stemmer(language)
    stop = _folded_stop_words(language)
    words = [fold_accents(word) for word in tokenize(text)]
    words = [word for word in words if word not in stop and len(word) > 1]
    if stemmer is None:
        return words
    # Stem the folded word: Snowball's French stemmer handles unaccented input well, and
    # folding first means an accent typo in a query still finds the same stem.
    return stemmer.stemWords(words)


def analyse_query(text, language):
    """Like ``analyse``, for search queries (same pipeline, so terms meet)."""
    return analyse(text, language)
