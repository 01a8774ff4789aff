"""WordPress shortcodes and embeds to the HTML a reader of the WordPress blog saw.

``expand_shortcodes()`` turns ``[caption]``, ``[gallery]``, ``[embed]``, ``[audio]`` and
``[video]`` into HTML and counts the others (kept as written) in the conversion notes; galleries
become placeholders that the writer fills once every attachment is in. ``auto_embed()`` and
``embed_block_urls()`` turn a bare address on its own line, or in an embed block, into the
embed WordPress would have shown. Used by ``content.convert()``.
"""

import html
import json
import re
from urllib.parse import parse_qs, urlsplit

from .records import ConversionNotes

KNOWN_SHORTCODES = ("caption", "wp_caption", "gallery", "embed", "audio", "video")
_SHORTCODE_OPEN = re.compile(
    r"\[(\[?)("
    + "|".join(KNOWN_SHORTCODES)
    + r")(?![\w-])((?:[^\]\"']|\"[^\"]*\"|'[^']*')*)\](\]?)",
    re.I,
)
_ANY_SHORTCODE = re.compile(r"\[(\[?)([A-Za-z][\w-]*)((?:\s+[^\]]*)?)\]")
_ATTRIBUTE = re.compile(
    r"""([\w-]+)\s*=\s*"([^"]*)"|([\w-]+)\s*=\s*'([^']*)'|([\w-]+)\s*=\s*([^\s'"]+)|"([^"]*)"|(\S+)"""
)


def shortcode_attributes(text):
    """``id="a" width=300 https://…`` -> {"id": "a", "width": "300", 0: "https://…"}."""
    attributes, position = {}, 0
    text = (text or "").replace("\u00a0", " ").replace("\u200b", " ").strip()
    if text.endswith("/"):
        text = text[:-1]
    for match in _ATTRIBUTE.finditer(text):
        if match.group(1):
            attributes[match.group(1).lower()] = html.unescape(match.group(2))
        elif match.group(3):
            attributes[match.group(3).lower()] = html.unescape(match.group(4))
        elif match.group(5):
            attributes[match.group(5).lower()] = html.unescape(match.group(6))
        else:
            attributes[position] = html.unescape(match.group(7) or match.group(8))
            position += 1
    return attributes


def _escape(value):
    return html.escape(value or "", quote=True)


def embed_html(url):
    """A video from YouTube or Vimeo as its player, anything else as a link (no oEmbed fetch)."""
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return _escape(url)
    if parts.scheme not in ("http", "https"):
        return _escape(url)
    host = (parts.hostname or "").removeprefix("www.").removeprefix("m.")
    player = None
    if host in ("youtube.com", "youtube-nocookie.com"):
        video = parse_qs(parts.query).get("v", [""])[0]
        if not video and parts.path.startswith(("/embed/", "/shorts/")):
            video = parts.path.split("/")[2]
        if re.fullmatch(r"[\w-]{6,20}", video or ""):
            player = (f"https://www.youtube-nocookie.com/embed/{video}", "YouTube")
    elif host == "youtu.be":
        video = parts.path.strip("/")
        if re.fullmatch(r"[\w-]{6,20}", video):
            player = (f"https://www.youtube-nocookie.com/embed/{video}", "YouTube")
    elif host in ("vimeo.com", "player.vimeo.com"):
        video = parts.path.rstrip("/").rsplit("/", 1)[-1]
        if video.isdigit():
            player = (f"https://player.vimeo.com/video/{video}", "Vimeo")
    link = f'<a href="{_escape(url)}">{_escape(url)}</a>'
    if player is None:
        return f'<figure class="wp-embed">{link}</figure>'
    return (
        # No frame in the stored HTML (the body's allow-list would remove it, and the CSP
        # forbids it): the player's address is kept for the click-to-load embeds of the media
        # app, and the link stays for everyone else.
        f'<figure class="wp-embed wp-embed-{player[1].lower()}" '
        f'data-embed-provider="{player[1].lower()}" data-embed-src="{_escape(player[0])}">'
        f"<figcaption>{link}</figcaption></figure>"
    )


_MEDIA_TYPES = {
    "mp3": "audio/mpeg",
    "m4a": "audio/mp4",
    "ogg": "audio/ogg",
    "oga": "audio/ogg",
    "wav": "audio/wav",
    "flac": "audio/flac",
    "wma": "audio/x-ms-wma",
    "mp4": "video/mp4",
    "m4v": "video/mp4",
    "webm": "video/webm",
    "ogv": "video/ogg",
    "mov": "video/quicktime",
    "wmv": "video/x-ms-wmv",
    "flv": "video/x-flv",
}


def _media_sources(attributes, content, extensions):
    sources = []
    for key in ("src", *extensions, 0):
        value = attributes.get(key)
        if value:
            sources.append(value.strip())
    if not sources and content and content.strip().startswith("http"):
        sources.append(content.strip())
    return sources


def _media_type(url):
    extension = urlsplit(url).path.rsplit(".", 1)[-1].lower() if "." in url else ""
    return _MEDIA_TYPES.get(extension, "")


def audio_html(attributes, content=""):
    sources = _media_sources(attributes, content, ("mp3", "m4a", "ogg", "oga", "wav", "flac"))
    if not sources:
        return ""
    tags = "".join(
        f'<source src="{_escape(src)}"'
        + (f' type="{_media_type(src)}"' if _media_type(src) else "")
        + ">"
        for src in sources
    )
    link = f'<a href="{_escape(sources[0])}">{_escape(sources[0])}</a>'
    return f'<figure class="wp-audio"><audio controls preload="none">{tags}{link}</audio></figure>'


def video_html(attributes, content=""):
    sources = _media_sources(attributes, content, ("mp4", "m4v", "webm", "ogv", "wmv", "flv"))
    if not sources:
        return ""
    host = (urlsplit(sources[0]).hostname or "").removeprefix("www.")
    if host in ("youtube.com", "youtu.be", "vimeo.com"):
        return embed_html(sources[0])
    extra = ""
    for name in ("width", "height"):
        if str(attributes.get(name, "")).isdigit():
            extra += f' {name}="{attributes[name]}"'
    if attributes.get("poster"):
        extra += f' poster="{_escape(attributes["poster"])}"'
    tags = "".join(
        f'<source src="{_escape(src)}"'
        + (f' type="{_media_type(src)}"' if _media_type(src) else "")
        + ">"
        for src in sources
    )
    link = f'<a href="{_escape(sources[0])}">{_escape(sources[0])}</a>'
    return (
        f'<figure class="wp-video"><video controls preload="metadata"{extra}>{tags}{link}'
        "</video></figure>"
    )


_CAPTION_MEDIA = re.compile(r"^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$", re.S | re.I)


def caption_html(attributes, content):
    match = _CAPTION_MEDIA.match(content or "")
    if match:
        media, caption = match.group(1), match.group(2).strip()
    else:
        media, caption = (content or "").strip(), ""
    if attributes.get("caption"):
        caption = _escape(attributes["caption"])
    classes = ["wp-caption"]
    align = attributes.get("align", "")
    if re.fullmatch(r"[\w-]+", align):
        classes.append(align)
    id_attribute = ""
    if re.fullmatch(r"[\w-]+", attributes.get("id", "")):
        id_attribute = f' id="{attributes["id"]}"'
    figcaption = f'<figcaption class="wp-caption-text">{caption}</figcaption>' if caption else ""
    # No max-width in a style attribute (the CSP forbids them): the image has its own width.
    return f'<figure{id_attribute} class="{" ".join(classes)}">{media}{figcaption}</figure>'


GALLERY_PLACEHOLDER = re.compile(r"<!--salon-gallery (\{.*?\})-->")


def gallery_placeholder(attributes, post_wp_id):
    """Galleries name attachments the file may list later: they are rendered after the import."""
    spec = {
        "ids": [
            int(i)
            for i in re.findall(r"\d+", attributes.get("ids") or attributes.get("include") or "")
        ],
        "exclude": [int(i) for i in re.findall(r"\d+", attributes.get("exclude", ""))],
        "columns": int(attributes["columns"])
        if str(attributes.get("columns", "")).isdigit()
        else 3,
        "link": attributes.get("link", ""),
        "parent": int(attributes["id"]) if str(attributes.get("id", "")).isdigit() else post_wp_id,
    }
    return f"<!--salon-gallery {json.dumps(spec, separators=(',', ':'))}-->"


def gallery_html(spec, attachments):
    """A gallery of ``attachments`` (dicts with url, caption, alt), ``spec`` as the shortcode's."""
    if not attachments:
        return ""
    columns = max(1, min(int(spec.get("columns") or 3), 9))
    items = []
    for attachment in attachments:
        url = _escape(attachment["url"])
        image = f'<img src="{url}" alt="{_escape(attachment.get("alt", ""))}" loading="lazy">'
        if spec.get("link") != "none":
            image = f'<a href="{url}">{image}</a>'
        caption = attachment.get("caption") or ""
        figcaption = f"<figcaption>{_escape(caption)}</figcaption>" if caption else ""
        items.append(f'<figure class="gallery-item">{image}{figcaption}</figure>')
    return f'<div class="gallery gallery-columns-{columns}">' + "".join(items) + "</div>"


def _looks_like_shortcode(match, text, language_codes):
    """Tell a WordPress shortcode from ordinary bracketed text ([sic], [1], [fr])."""
    name = match.group(2)
    if name.lower() in language_codes or not name.islower() or len(name) < 2:
        return False
    attributes = match.group(3) or ""
    if "=" in attributes or f"[/{name}]" in text:
        return True
    before = text[: match.start()].rstrip(" \t")
    after = text[match.end() :].lstrip(" \t")
    alone_before = not before or before.endswith(("\n", ">"))
    alone_after = not after or after.startswith(("\n", "<"))
    return alone_before and alone_after


def expand_shortcodes(text, notes=None, post_wp_id=None, language_codes=()):
    """Expand the shortcodes Salon knows; list the others (kept as written) in ``notes``."""
    if "[" not in (text or ""):
        return text or ""
    notes = notes if notes is not None else ConversionNotes()
    out, position = [], 0
    for match in _SHORTCODE_OPEN.finditer(text):
        if match.start() < position:
            continue
        out.append(text[position : match.start()])
        escaped_open, name, raw_attributes, escaped_close = match.groups()
        name_lower = name.lower()
        attributes = shortcode_attributes(raw_attributes)
        end = match.end()
        content = ""
        closing = re.compile(r"\[/" + re.escape(name) + r"\]", re.I)
        self_closing = raw_attributes.rstrip().endswith("/")
        if not self_closing:
            close = closing.search(text, match.end())
            next_open = _SHORTCODE_OPEN.search(text, match.end())
            if (
                close
                and (name_lower in ("caption", "wp_caption", "embed", "audio", "video"))
                and (
                    next_open is None
                    or next_open.start() > close.start()
                    or next_open.group(2).lower() != name_lower
                )
            ):
                content = text[match.end() : close.start()]
                end = close.end()
        if escaped_open and (escaped_close or text[end : end + 1] == "]"):
            # [[gallery]] is how WordPress writes the literal text "[gallery]".
            if escaped_close:
                out.append(text[match.start() + 1 : end - 1])
                position = end
            else:
                out.append(text[match.start() + 1 : end])
                position = end + 1
            continue
        if name_lower in ("caption", "wp_caption"):
            out.append(caption_html(attributes, expand_shortcodes(content, notes, post_wp_id)))
        elif name_lower == "gallery":
            placeholder = gallery_placeholder(attributes, post_wp_id)
            notes.galleries.append(placeholder)
            out.append(placeholder)
        elif name_lower == "embed":
            out.append(embed_html(content or attributes.get("src") or attributes.get(0, "")))
        elif name_lower == "audio":
            out.append(audio_html(attributes, content))
        elif name_lower == "video":
            out.append(video_html(attributes, content))
        position = end
    out.append(text[position:])
    result = "".join(out)
    for match in _ANY_SHORTCODE.finditer(result):
        if match.group(1) or match.group(2).lower() in KNOWN_SHORTCODES:
            continue
        if _looks_like_shortcode(match, result, language_codes):
            notes.unknown_shortcodes[match.group(2)] += 1
    return result


# Automatic paragraphs --------------------------------------------------------------------------

_BARE_URL_LINE = re.compile(r"^[ \t]*(https?://[^\s<>\"]+)[ \t]*$", re.M)
_EMBED_WRAPPER = re.compile(
    r'(<div class="wp-block-embed__wrapper">)\s*(https?://[^\s<>"]+)\s*(</div>)', re.I
)


def auto_embed(text):
    """A video URL alone on its line becomes its player, as WordPress's auto-embeds do."""

    def replace(match):
        url = match.group(1)
        host = (urlsplit(url).hostname or "").removeprefix("www.")
        if host in ("youtube.com", "youtu.be", "vimeo.com", "m.youtube.com"):
            return embed_html(url)
        return match.group(0)

    return _BARE_URL_LINE.sub(replace, text)


def embed_block_urls(text):
    """Block-editor embeds keep their URL in a wrapper that WordPress fills at display time."""

    def replace(match):
        return (
            match.group(1)
            + embed_html(match.group(2))
            .removeprefix('<figure class="wp-embed">')
            .removesuffix("</figure>")
            + match.group(3)
        )

    return _EMBED_WRAPPER.sub(replace, text)
