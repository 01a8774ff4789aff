"""What the library and the embeds make of a Markdown body: a markdown-it-py plugin.

Registered with ``salon.blog.rendering.register_markdown_plugin`` (``MediaConfig.ready()``), it
adds one core rule that runs after the inline parse:

- a paragraph holding only a library image becomes ``<figure>`` with ``<picture>`` (WebP
  ``<source>``, then ``<img>`` with ``srcset``, ``sizes``, ``width``, ``height``, lazy loading)
  and a ``<figcaption>``: the image's title (``![alt](src "title")``), its credit (linked to
  its source) and its licence (``rel="license"``); a library image within text gets the same
  ``<img>`` without the figure; the body's alt text wins, the library's fills an empty one;
- a paragraph holding only an address becomes the embed found for it (a local preview: title,
  thumbnail stored here, provider; the player is only loaded when the reader asks, by
  ``static/media/embed.js``), or a plain link until discovery has found one (or when it found
  nothing).

It reads the database once for the images and once for the embeds a body holds (nothing when
it holds neither). ``feed_filter`` turns the embeds of a stored body back into plain links.
"""

import re
from urllib.parse import urlsplit

import lxml.html
from django.conf import settings
from django.utils import translation
from django.utils.html import escape, format_html, format_html_join
from django.utils.translation import gettext as _
from markdown_it.token import Token

from . import conf
from .models import Embed, Image, media_url
from .scan import alt_of, image_key, lone_url


def _srcset(renditions):
    return ", ".join(f"{media_url(r['name'])} {r['width']}w" for r in renditions)


def img_html(image, alt):
    """The ``<picture>`` of a library image (WebP first, then JPEG or PNG)."""
    fallback = image.renditions_in(image.fallback_format)
    webp = image.renditions_in("webp")
    if not fallback:
        return format_html(
            '<img src="{}" alt="{}" width="{}" height="{}" loading="lazy" decoding="async">',
            image.url,
            alt,
            image.width,
            image.height,
        )
    largest = fallback[-1]
    default = next((r for r in fallback if r["width"] >= 960), largest)
    source = (
        format_html('<source type="image/webp" srcset="{}" sizes="{}">', _srcset(webp), conf.SIZES)
        if webp
        else ""
    )
    return format_html(
        '<picture>{}<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" '
        'loading="lazy" decoding="async"></picture>',
        source,
        media_url(default["name"]),
        _srcset(fallback),
        conf.SIZES,
        largest["width"],
        largest["height"],
        alt,
    )


def caption_parts(image, title=""):
    """The pieces of an image's caption, as HTML: title, credit (linked to the source),
    licence (``rel="license"``)."""
    parts = []
    if title:
        parts.append(format_html('<span class="media-caption">{}</span>', title))
    credit = image.credit.strip()
    if image.source_url:
        parts.append(
            format_html(
                '<span class="media-credit"><a href="{}">{}</a></span>',
                image.source_url,
                credit or urlsplit(image.source_url).hostname or image.source_url,
            )
        )
    elif credit:
        parts.append(format_html('<span class="media-credit">{}</span>', credit))
    name, url = image.licence_name_and_url
    if name and url:
        parts.append(
            format_html(
                '<span class="media-licence"><a rel="license" href="{}">{}</a></span>', url, name
            )
        )
    elif name:
        parts.append(format_html('<span class="media-licence">{}</span>', name))
    return parts


def figure_html(image, alt, title=""):
    parts = caption_parts(image, title)
    caption = (
        format_html(
            "<figcaption>{}</figcaption>", format_html_join(" ", "{}", ((p,) for p in parts))
        )
        if parts
        else ""
    )
    return format_html('<figure class="media-figure">{}{}</figure>', img_html(image, alt), caption)


def embed_html(embed, language=None):
    """The privacy-first preview of an embed: nothing in it is fetched from the provider."""
    provider = embed.provider_name or urlsplit(embed.url).hostname or ""
    title = embed.title or embed.url
    thumbnail = (
        format_html(
            '<img src="{}" width="{}" height="{}" alt="" loading="lazy" decoding="async">',
            embed.thumbnail_url,
            embed.thumbnail_width or "",
            embed.thumbnail_height or "",
        )
        if embed.thumbnail
        else ""
    )
    player = ""
    if embed.iframe_src:
        with translation.override(language or translation.get_language()):
            label = _("Load from %(provider)s") % {"provider": provider}
        player = format_html(
            ' data-embed-src="{}" data-embed-width="{}" data-embed-height="{}"'
            ' data-embed-label="{}" data-embed-title="{}"',
            embed.iframe_src,
            embed.iframe_width or "",
            embed.iframe_height or "",
            label,
            title,
        )
    return format_html(
        '<figure class="media-embed"{}><a class="media-embed-preview" href="{}">{}'
        '<span class="media-embed-title">{}</span></a>'
        '<figcaption><span class="media-embed-provider">{}</span></figcaption></figure>',
        player,
        embed.url,
        thumbnail,
        title,
        provider,
    )


def link_html(url):
    return format_html('<p><a href="{}">{}</a></p>', url, url)


def _html_block(html):
    token = Token("html_block", "", 0)
    token.content = str(html) + "\n"
    return token


def _html_inline(html):
    token = Token("html_inline", "", 0)
    token.content = str(html)
    return token


def _alone_image(inline):
    """The image token a paragraph holds alone (whitespace around it aside), or None."""
    children = [
        c
        for c in inline.children or []
        if not (c.type in ("text", "softbreak") and not c.content.strip())
    ]
    if len(children) == 1 and children[0].type == "image":
        return children[0]
    return None


def _alt(token, image):
    return alt_of(token) or image.alt_text


def media_rule(state):
    """The core rule: figures for library images, previews (or links) for lone addresses."""
    tokens = state.tokens
    keys, urls = set(), set()
    for index, token in enumerate(tokens):
        if token.type != "inline":
            continue
        for child in token.children or []:
            if child.type == "image" and image_key(child.attrGet("src")):
                keys.add(image_key(child.attrGet("src")))
        if index and tokens[index - 1].type == "paragraph_open" and token.level == 1:
            url = lone_url(token)
            if url:
                urls.add(url)
    if not keys and not urls:
        return
    images = {i.key: i for i in Image.objects.filter(key__in=keys)} if keys else {}
    embeds = (
        {e.url: e for e in Embed.objects.filter(url__in=urls, state=Embed.State.FOUND)}
        if urls
        else {}
    )
    language = (state.env or {}).get("language")
    result, index = [], 0
    while index < len(tokens):
        token = tokens[index]
        if (
            token.type == "paragraph_open"
            and index + 2 < len(tokens)
            and tokens[index + 1].type == "inline"
            and tokens[index + 2].type == "paragraph_close"
        ):
            inline = tokens[index + 1]
            alone = _alone_image(inline)
            url = lone_url(inline) if token.level == 0 else None
            html = None
            if alone is not None and images.get(image_key(alone.attrGet("src"))):
                image = images[image_key(alone.attrGet("src"))]
                html = figure_html(image, _alt(alone, image), alone.attrGet("title") or "")
            elif url:
                html = embed_html(embeds[url], language) if url in embeds else link_html(url)
            if html is not None:
                result.append(_html_block(html))
                index += 3
                continue
        if token.type == "inline" and keys:
            children = []
            for child in token.children or []:
                image = (
                    images.get(image_key(child.attrGet("src"))) if child.type == "image" else None
                )
                children.append(
                    _html_inline(img_html(image, _alt(child, image))) if image else child
                )
            token.children = children
        result.append(token)
        index += 1
    state.tokens = result


def plugin(md):
    md.core.ruler.push("salon_media", media_rule)


_URL_ATTRIBUTE = re.compile(r'(\s(?:src|srcset|href)=")([^"]*)(")')


def absolute_media_urls(html):
    """``html`` with the addresses of the library's files (images, embeds' thumbnails) made
    absolute, in ``src``, ``srcset`` and ``href`` (for exports read on another site)."""
    base = media_url("")
    site = settings.SITE_URL.rstrip("/")

    def absolute(match):
        candidates = [
            site + c.strip() if c.strip().startswith(base) else c.strip()
            for c in match.group(2).split(",")
        ]
        return match.group(1) + ", ".join(candidates) + match.group(3)

    return _URL_ATTRIBUTE.sub(absolute, html or "") if base in (html or "") else html


def feed_filter(html):
    """A stored body as a feed carries it: each embed's preview becomes a plain link, and each
    ``<picture>`` its ``<img>`` (feed readers take the JPEG; the HTML parser feeds go through
    next does not know ``<source>`` is empty)."""
    if "media-embed" not in (html or "") and "<picture" not in (html or ""):
        return html
    wrapper = lxml.html.fragment_fromstring(html, create_parent="div")
    for figure in wrapper.xpath('//figure[contains(concat(" ", @class, " "), " media-embed ")]'):
        link = figure.find(".//a")
        href = link.get("href") if link is not None else ""
        title = figure.findtext('.//span[@class="media-embed-title"]') or href
        paragraph = lxml.html.fragment_fromstring(
            f'<p><a href="{escape(href)}">{escape(title)}</a></p>'
        )
        paragraph.tail = figure.tail
        figure.getparent().replace(figure, paragraph)
    for picture in wrapper.xpath("//picture"):
        img = next(iter(picture.iter("img")), None)
        if img is None:
            continue
        img.getparent().remove(img)
        img.tail = picture.tail
        picture.getparent().replace(picture, img)
    serialised = lxml.html.tostring(wrapper, encoding="unicode")
    return serialised[len("<div>") : -len("</div>")]
