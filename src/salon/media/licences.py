"""The licences an image may carry: Creative Commons' own, each with its deed's address.

Stored by code (``cc-by-4.0``); ``other`` means the free text (and its address) written beside.
"""

from django.utils.translation import gettext_lazy as _

# code -> (short name, as Creative Commons writes it; the deed's URL)
CREATIVE_COMMONS = {
    "cc0-1.0": ("CC0 1.0", "https://creativecommons.org/publicdomain/zero/1.0/"),
    "pdm-1.0": ("Public Domain Mark 1.0", "https://creativecommons.org/publicdomain/mark/1.0/"),
    "cc-by-4.0": ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/"),
    "cc-by-sa-4.0": ("CC BY-SA 4.0", "https://creativecommons.org/licenses/by-sa/4.0/"),
    "cc-by-nd-4.0": ("CC BY-ND 4.0", "https://creativecommons.org/licenses/by-nd/4.0/"),
    "cc-by-nc-4.0": ("CC BY-NC 4.0", "https://creativecommons.org/licenses/by-nc/4.0/"),
    "cc-by-nc-sa-4.0": ("CC BY-NC-SA 4.0", "https://creativecommons.org/licenses/by-nc-sa/4.0/"),
    "cc-by-nc-nd-4.0": ("CC BY-NC-ND 4.0", "https://creativecommons.org/licenses/by-nc-nd/4.0/"),
    "cc-by-3.0": ("CC BY 3.0", "https://creativecommons.org/licenses/by/3.0/"),
    "cc-by-sa-3.0": ("CC BY-SA 3.0", "https://creativecommons.org/licenses/by-sa/3.0/"),
    "cc-by-2.0": ("CC BY 2.0", "https://creativecommons.org/licenses/by/2.0/"),
    "cc-by-sa-2.0": ("CC BY-SA 2.0", "https://creativecommons.org/licenses/by-sa/2.0/"),
}
OTHER = "other"


def licence_choices():
    return (
        [("", _("No licence given"))]
        + [(code, name) for code, (name, _url) in CREATIVE_COMMONS.items()]
        + [(OTHER, _("Another licence (written below)"))]
    )


def licence_of(code, text="", url=""):
    """(name, URL) of a licence: a Creative Commons one by its code, else the free text."""
    if code in CREATIVE_COMMONS:
        return CREATIVE_COMMONS[code]
    if text:
        return text, url
    return "", ""
