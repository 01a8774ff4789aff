"""Finding the library's images and the lone links in a Markdown body, without the database.

A library image is written as plain Markdown, ``![alt](/media/images/<key>/original.jpg)``,
and recognised by its address (the site's own address in front is accepted too). A lone link
is a paragraph holding nothing but an ``http(s)`` address, bare or as ``<https://…>``.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from markdown_it import MarkdownIt

URL_ALONE = re.compile(r"^https?://[^\s<>\"]+$")


@dataclass(frozen=True)
class FoundImage:
    key: str
    src: str
    alt: str


def _media_prefix():
    base = settings.MEDIA_URL if settings.MEDIA_URL.startswith("/") else "/" + settings.MEDIA_URL
    return base.rstrip("/") + "/images/"


def image_key(src):
    """The library key of an image address, or None when it is not one of the library's."""
    src = (src or "").strip()
    site = settings.SITE_URL.rstrip("/")
    if src.startswith(site + "/"):
        src = src[len(site) :]
    prefix = _media_prefix()
    if not src.startswith(prefix):
        return None
    match = re.fullmatch(r"([0-9a-f]{32})/[\w.-]+", src[len(prefix) :])
    return match.group(1) if match else None


def alt_of(image_token):
    """An image token's alt text as plain text (``![A *red* door]`` gives "A red door")."""
    return "".join(
        child.content
        for child in image_token.children or []
        if child.type in ("text", "code_inline", "softbreak", "image")
    ).strip()


def lone_url(inline_token):
    """The address a paragraph's inline token holds alone, or None."""
    children = inline_token.children or []
    if len(children) == 1 and children[0].type == "text":
        text = children[0].content.strip()
        return text if URL_ALONE.match(text) else None
    if (
        len(children) == 3
        and children[0].type == "link_open"
        and children[0].markup == "autolink"
        and children[2].type == "link_close"
    ):
        href = children[0].attrGet("href") or ""
        return href if URL_ALONE.match(href) else None
    return None


@lru_cache(maxsize=1)
def _parser():
    return MarkdownIt("commonmark")


def _inline_tokens(body):
    for token in _parser().parse(body or ""):
        if token.type == "inline":
            yield token


def images_in(body):
    """The library images a Markdown body shows, in order: ``[FoundImage]``."""
    found = []
    for token in _inline_tokens(body):
        for child in token.children or []:
            if child.type == "image":
                src = child.attrGet("src") or ""
                key = image_key(src)
                if key:
                    found.append(FoundImage(key, src, alt_of(child)))
    return found


def lone_urls(body):
    """The addresses a Markdown body writes alone in a paragraph, each once, in order."""
    tokens = _parser().parse(body or "")
    urls = []
    for index, token in enumerate(tokens):
        if (
            token.type == "inline"
            and index > 0
            and tokens[index - 1].type == "paragraph_open"
            and tokens[index - 1].level == 0
        ):
            url = lone_url(token)
            if url and url not in urls:
                urls.append(url)
    return urls
