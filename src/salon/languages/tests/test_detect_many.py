"""Detecting many texts at once (an import's comments): function words decide the clear cases,
lingua the others, and both agree with lingua alone."""

from salon.languages import detect_language, detect_languages

TEXTS = [
    "Je ne suis pas du tout d'accord avec vous sur ce point, mais nous en reparlerons "
    "quand vous serez de retour dans le quartier.",
    "I was not sure about this at first, but after reading it again I think you are right "
    "about the bakery on our street.",
    # French, quoting English: still French.
    "Comme disait mon voisin, « the proof of the pudding is in the eating », et je crois "
    "qu'il avait raison pour le pain de la boulangerie.",
    # Too few function words to decide alone: lingua.
    "Magnifique photographie!",
    "Great photograph!",
    "",
]


def test_many_texts_get_the_languages_lingua_gives_one_by_one():
    found = detect_languages(TEXTS, default="")
    assert found == ["fr", "en", "fr", "fr", "en", ""]
    for text, code in zip(TEXTS[:-1], found, strict=False):
        assert detect_language(text) == code
