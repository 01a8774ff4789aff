"""HTML and text helpers for feeds: absolute links, XML-safe text, plain-text excerpts.

A feed is read far from the site, so every link and image in an item's HTML must be absolute:
relative ``href``/``src`` (and each candidate of ``srcset``) are resolved against the item's
own address, exactly as a browser would on the post's page.
"""

import html as html_entities
import re
from urllib.parse import urljoin

import lxml.html
from django.utils.html import strip_tags
from django.utils.text import Truncator

# Characters XML 1.0 forbids (C0 controls other than tab, LF, CR; the two non-characters).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SRCSET_CANDIDATE = re.compile(r"\s*([^\s,]+)(\s+[^,]*)?")


def xml_safe(text):
    """``text`` without the characters an XML document cannot hold (None stays None)."""
    if text is None:
        return None
    return _XML_ILLEGAL.sub("", str(text))


def _absolute_srcset(value, base):
    candidates = []
    for part in value.split(","):
        match = _SRCSET_CANDIDATE.match(part)
        if not match or not match.group(1):
            continue
        candidates.append(urljoin(base, match.group(1)) + (match.group(2) or "").rstrip())
    return ", ".join(candidates)


def absolutize(html, base):
    """``html`` with every relative link resolved against ``base`` (an absolute URL)."""
    html = xml_safe(html or "")
    if not html.strip():
        return ""
    wrapper = lxml.html.fragment_fromstring(html, create_parent="div")
    wrapper.make_links_absolute(base, resolve_base_href=False)
    for element in wrapper.iter():
        if not isinstance(element.tag, str):
            continue  # comments and processing instructions
        srcset = element.get("srcset")
        if srcset:
            element.set("srcset", _absolute_srcset(srcset, base))
    serialised = lxml.html.tostring(wrapper, encoding="unicode")
    return serialised[len("<div>") : -len("</div>")]


def excerpt(html, words=60):
    """A plain-text excerpt of some HTML, for a summary when there is no written one."""
    text = " ".join(html_entities.unescape(strip_tags(xml_safe(html or ""))).split())
    return Truncator(text).words(words, truncate="…")
