"""Content languages: which languages posts are written in, their markers and detection.

Public functions (other apps use these, not the settings directly):

- ``content_languages()``: the configured codes, in order of preference;
- ``language_name(code)``: a language named in a sentence of the interface ("readers of
  French", "pour qui lit en anglais"); capitalise it (``capfirst``) for a label;
- ``native_language_name(code)``: a language naming itself (``Français``), only where a
  reader picks a language by its own name (the river links, the interface switcher);
- ``language_choices()``: ``(code, name)`` pairs for forms, names in the interface language;
- ``marker(code)``: the visual marker of a text's language (``[fr]``);
- ``split_title_marker(title)``: ``"Titre [fr]"`` -> ``("Titre", "fr")``;
- ``split_leading_marker(text)``: ``"[en] About…"`` -> ``("en", "About…")``;
- ``detect_language(text)``: the most likely configured language of a text, or ``None``.
"""

import re
from functools import lru_cache

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext

_TRAILING_MARKER = re.compile(r"\s*\[([A-Za-z]{2,3}(?:-[A-Za-z]{2,4})?)\]\s*$")
_LEADING_MARKER = re.compile(r"^\s*\[([A-Za-z]{2,3}(?:-[A-Za-z]{2,4})?)\]\s*")


def content_languages():
    return list(settings.SALON_LANGUAGES)


def is_content_language(code):
    return code in settings.SALON_LANGUAGES


def _info(code):
    """Django's facts about a language (``fr-ca`` falls back to ``fr``), or None."""
    info = LANG_INFO.get(code) or LANG_INFO.get((code or "").split("-")[0])
    if info and "fallback" in info:
        info = LANG_INFO.get(info["fallback"][0])
    return info


def language_name(code):
    """The name of a language in the active interface language, as written inside a sentence:
    "Posts for readers of French", "Les billets pour qui lit en anglais".

    Django's catalogues translate every language's name, capitalised as a label ("Anglais").
    Languages that write their own name in lower case (``LANG_INFO``'s ``name_local``:
    "français", "español") write every language's name so inside a sentence, so the
    capital is dropped for them; English and German keep theirs ("French", "Französisch").
    """
    info = _info(code)
    if not info:
        return code
    name = gettext(info["name"])
    interface = _info(get_language())
    if interface and interface["name_local"][:1].islower():
        name = name[:1].lower() + name[1:]
    return name


def native_language_name(code):
    """A language's name in that language, as a label ("Français", "English")."""
    info = _info(code)
    if not info:
        return code
    return capfirst(info["name_local"])


def language_choices():
    """``(code, label)`` for the configured languages, named in the interface language."""
    return [(code, capfirst(language_name(code))) for code in content_languages()]


def marker(code):
    return f"[{code}]"


def split_title_marker(title):
    """Split a trailing configured-language marker off a title.

    Only configured languages count, so a title that really ends in "[sic]" is left alone.
    """
    match = _TRAILING_MARKER.search(title or "")
    if match and is_content_language(match.group(1).lower()):
        return title[: match.start()].rstrip(), match.group(1).lower()
    return title, None


def split_leading_marker(text):
    match = _LEADING_MARKER.match(text or "")
    if match and is_content_language(match.group(1).lower()):
        return match.group(1).lower(), text[match.end() :]
    return None, text


# From this length on, lingua's low-accuracy mode (trigrams only, about three times faster)
# tells languages apart as well as the full one; shorter texts need the full models.
QUICK_FROM = 120


@lru_cache(maxsize=8)
def _detector(codes, quick=False):
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = []
    for code in codes:
        try:
            languages.append(Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())))
        except (AttributeError, ValueError):
            continue
    if len(languages) < 2:
        return None
    builder = LanguageDetectorBuilder.from_languages(*languages)
    return (builder.with_low_accuracy_mode() if quick else builder).build()


def _configured_detector():
    """``(only_language, detector)``: the one configured language when there is a single one
    (nothing to detect), else lingua's detector for the configured languages (None when lingua
    knows fewer than two of them)."""
    codes = tuple(content_languages())
    if len(codes) == 1:
        return codes[0], None
    return None, _detector(codes)


# A text whose function words are this many times more often one configured language's
# than any other's (and at least MIN_FUNCTION_WORDS of them) is in that language without
# asking lingua: a comment of a few sentences in French holds a dozen words only French has.
_WORDS = re.compile(r"\w+")
FUNCTION_WORD_MARGIN = 4
MIN_FUNCTION_WORDS = 6


@lru_cache(maxsize=8)
def _own_function_words(codes):
    """Per configured language, its function words that no other configured language has."""
    from .analysis import STOP_WORDS

    own = {}
    for code in codes:
        others = set().union(*(STOP_WORDS.get(other, set()) for other in codes if other != code))
        own[code] = frozenset(STOP_WORDS.get(code, set()) - others)
    return own if all(own.values()) else None


def _by_function_words(text, own):
    """The language whose own function words dominate ``text``, or None when unsure."""
    words = _WORDS.findall(text.lower())  # "l'idée": "l", "idée"; elisions count too
    counts = {
        code: sum(1 for word in words if word in own_words) for code, own_words in own.items()
    }
    ranked = sorted(counts.items(), key=lambda item: item[1], reverse=True)
    first, second = ranked[0][1], ranked[1][1]
    if first >= MIN_FUNCTION_WORDS and first >= FUNCTION_WORD_MARGIN * second:
        return ranked[0][0]
    return None


def detect_languages(texts, default=None):
    """``detect_language`` for many texts at once (an import's comments): a text whose own
    function words clearly say its language is decided by them; the others go to lingua, on
    every core (its parallel mode), with the low-accuracy models from ``QUICK_FROM``
    characters on. Returns codes, ``default`` where nothing was found."""
    texts = [(text or "").strip() for text in texts]
    only, detector = _configured_detector()
    if only is not None:
        return [only] * len(texts)
    if detector is None:
        return [default] * len(texts)
    codes = tuple(content_languages())
    own = _own_function_words(codes)
    found = [_by_function_words(text, own) if own else None for text in texts]
    quick = _detector(codes, quick=True)
    for chosen, wanted in ((quick, True), (detector, False)):
        positions = [
            i
            for i, text in enumerate(texts)
            if found[i] is None and text and (len(text) >= QUICK_FROM) == wanted
        ]
        if positions:
            results = chosen.detect_languages_in_parallel_of([texts[i] for i in positions])
            for position, language in zip(positions, results, strict=True):
                if language is not None:
                    found[position] = language.iso_code_639_1.name.lower()
    return [code if code and text else default for text, code in zip(texts, found, strict=True)]


def detect_language(text, default=None, min_confidence=None):
    """The configured language a text is most likely written in (lingua), else ``default``.

    With ``min_confidence`` (0 to 1), a language other than ``default`` is returned only when
    detection is confident: among the configured languages and the reference ones
    (``REFERENCE_LANGUAGES``), it must come first with at least that confidence. Lorem ipsum,
    or a post in a third language, is always "most likely" one of the configured languages
    (Latin filler text reads as French 100 % when only French and English are candidates),
    but it is Latin first; then ``default`` (a language the caller was told) stands.
    """
    only, detector = _configured_detector()
    if only is not None:
        return only
    text = (text or "").strip()
    if not text or detector is None:
        return default
    found = detector.detect_language_of(text)
    if found is None:
        return default
    code = found.iso_code_639_1.name.lower()
    if min_confidence is None or code == default:
        return code
    # The second opinion costs a few ms, so it is asked only when detection would override.
    reference = _reference_detector(tuple(content_languages()))
    confidences = reference.compute_language_confidence_values(text)
    if confidences and confidences[0].language == found and confidences[0].value >= min_confidence:
        return code
    return default


# What a text that is in none of the configured languages is most often in, on the blogs Salon
# imports: Latin (the filler text of every theme) and the main languages of European blogs.
# All of lingua's 75 languages would also catch the rarer ones, but cost half a second and
# 50 MB each time the detector is built (an import); these cost a few hundredths and 8 MB.
REFERENCE_LANGUAGES = ("la", "en", "fr", "de", "es", "it", "pt", "nl")


@lru_cache(maxsize=8)
def _reference_detector(codes):
    """lingua's detector for the configured and the reference languages, in low-accuracy mode
    (trigrams only: enough to tell a language from the others, for a fraction of the memory),
    to tell whether a text is in a configured language at all."""
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    known = []
    for code in dict.fromkeys((*codes, *REFERENCE_LANGUAGES)):
        iso = getattr(IsoCode639_1, code.upper(), None)
        if iso is not None:
            known.append(iso)
    return LanguageDetectorBuilder.from_iso_codes_639_1(*known).with_low_accuracy_mode().build()
