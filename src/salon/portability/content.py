"""WordPress post content to the HTML Salon stores.

WordPress keeps classic-editor posts without ``<p>`` tags and adds them when it displays a post
(its ``wpautop`` filter); block-editor posts carry ``<!-- wp:… -->`` comments that the editor
reads and the page never shows; shortcodes (``[caption]``, ``[gallery]``…) are expanded at
display time. Salon stores what the reader saw, so all three are done once, here, at import:

- ``strip_block_comments()`` removes the block delimiters (dynamic blocks, which WordPress
  renders from the database at display time, cannot be rendered and are reported);
- ``expand_shortcodes()`` (``shortcodes.py``) turns the common shortcodes into HTML and reports
  the others, which are kept as text;
- ``autop()`` applies the automatic-paragraph rules to classic content: a blank line starts a
  paragraph, a single newline is a line break, block elements are left alone.

``convert()`` chains them the way WordPress does for a post of either editor.
"""

import html
import re

from .records import ConversionNotes
from .shortcodes import (
    GALLERY_PLACEHOLDER,
    auto_embed,
    embed_block_urls,
    expand_shortcodes,
    gallery_html,
)

# Imported from here by the writer, the cleaning step and the tests.
__all__ = [
    "GALLERY_PLACEHOLDER",
    "ConversionNotes",
    "autop",
    "convert",
    "expand_shortcodes",
    "gallery_html",
    "has_blocks",
    "leading_marked_paragraphs",
    "plain_text",
    "strip_block_comments",
]

# Elements that make their own block: never wrapped in <p>, they end a paragraph.
BLOCK_TAGS = (
    "address|article|aside|blockquote|caption|col|colgroup|dd|details|div|dl|dt|fieldset|"
    "figcaption|figure|footer|form|h[1-6]|header|hgroup|hr|legend|li|main|map|area|menu|nav|"
    "ol|p|section|summary|table|tbody|td|tfoot|th|thead|tr|ul|pre|style|math|select|option|"
    "optgroup|noscript|iframe|video|audio|object|embed|canvas|source|track|picture"
)
# Containers whose loose text is made into paragraphs (when it has several).
PARAGRAPH_CONTAINERS = {
    "blockquote",
    "div",
    "section",
    "article",
    "aside",
    "header",
    "footer",
    "main",
    "nav",
    "details",
    "figure",
    "form",
    "fieldset",
    "li",
    "dd",
    "td",
    "th",
    "noscript",
}
# Where WordPress's top level rule (every run of text is a paragraph) applies.
ALWAYS_PARAGRAPHS = {None, "blockquote"}
# Text inside these is left exactly as written (no <br>, no <p>).
RAW_CONTEXTS = {
    "pre",
    "style",
    "math",
    "svg",
    "table",
    "tbody",
    "thead",
    "tfoot",
    "tr",
    "colgroup",
    "ul",
    "ol",
    "dl",
    "select",
    "optgroup",
    "menu",
    "map",
    "hgroup",
    "picture",
    "video",
    "audio",
    "object",
    "iframe",
    "canvas",
}
VOID_TAGS = {"hr", "col", "area", "source", "track", "embed"}

# Whole elements whose inside must not be touched at all.
_PROTECTED = re.compile(
    r"<(pre|script|style|textarea|math|svg)\b[^>]*>.*?</\1\s*>|<!--.*?-->", re.S | re.I
)
_TOKEN = re.compile(r"\x02(\d+)\x03|<(/?)(" + BLOCK_TAGS + r")\b[^>]*>", re.I)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_TAG = re.compile(r"(<[^>]*>|\x02\d+\x03)")
_BR_BEFORE = re.compile(r"<br\s*/?>\s*$", re.I)

_BLOCK_COMMENT = re.compile(r"<!--\s*(/?)wp:([a-z0-9_/-]+)(\s.*?)?\s*(/?)-->\n?", re.S | re.I)


def has_blocks(text):
    return "<!-- wp:" in (text or "")


def strip_block_comments(text, notes=None):
    """Remove block-editor delimiters; self-closing (dynamic) blocks leave nothing behind."""

    def replace(match):
        closing, name, _attrs, self_closing = match.groups()
        if self_closing and notes is not None:
            notes.dynamic_blocks[name.removeprefix("core/")] += 1
        return ""

    return _BLOCK_COMMENT.sub(replace, text or "")


def _line_breaks(run):
    """Single newlines inside text become <br />, never inside a tag nor after an existing <br>."""
    parts = _TAG.split(run)
    for index in range(0, len(parts), 2):
        piece = parts[index]
        if "\n" not in piece:
            continue
        lines = piece.split("\n")
        rebuilt = lines[0]
        for line in lines[1:]:
            previous = rebuilt if rebuilt.strip() else "".join(parts[:index]) + rebuilt
            if _BR_BEFORE.search(previous):
                rebuilt += "\n" + line
            else:
                rebuilt += "<br />\n" + line
        parts[index] = rebuilt
    return "".join(parts)


def _format_run(run, context):
    """Text between two block tags, made into paragraphs or line breaks by its context."""
    if not run.strip():
        return run
    if context in RAW_CONTEXTS:
        return run
    core = run.strip()
    leading = run[: len(run) - len(run.lstrip())]
    trailing = run[len(run.rstrip()) :]
    if _is_only_placeholders(core):
        return run
    paragraphs = [p for p in _PARAGRAPH_BREAK.split(core) if p.strip()]
    if context in ALWAYS_PARAGRAPHS or (context in PARAGRAPH_CONTAINERS and len(paragraphs) > 1):
        return (
            "\n"
            + "\n".join(
                p.strip() if _is_only_placeholders(p) else "<p>" + _line_breaks(p.strip()) + "</p>"
                for p in paragraphs
            )
            + "\n"
        )
    return leading + _line_breaks(core) + trailing


_PLACEHOLDER_ONLY = re.compile(r"^(?:\s*\x02\d+\x03)+\s*$")


def _is_only_placeholders(text):
    return bool(_PLACEHOLDER_ONLY.match(text))


def autop(text):
    """WordPress's automatic paragraphs, with balanced output.

    A blank line separates paragraphs; a single newline inside a paragraph is a ``<br />``;
    block elements (``div``, ``ul``, ``table``, ``figure``…) are neither wrapped nor split, and
    text inside ``pre``, ``script``, ``style`` and HTML comments is never touched. Running it on
    its own output changes nothing.
    """
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return ""
    if "<" not in text and "\x02" not in text:  # plain text (most comments): the short way
        return (
            "\n".join(
                "<p>" + p.strip().replace("\n", "<br />\n") + "</p>"
                for p in _PARAGRAPH_BREAK.split(text.strip())
                if p.strip()
            )
            + "\n"
        )
    protected = []

    def protect(match):
        protected.append(match.group(0))
        return f"\x02{len(protected) - 1}\x03"

    text = _PROTECTED.sub(protect, text)
    out, stack, position = [], [], 0
    for match in _TOKEN.finditer(text):
        if match.group(1) is not None:
            piece = protected[int(match.group(1))]
            if not re.match(r"<(pre|style|math)\b", piece, re.I):
                continue  # inline (comments, script, textarea, svg): part of the text run
        out.append(_format_run(text[position : match.start()], stack[-1] if stack else None))
        out.append(match.group(0))
        position = match.end()
        if match.group(1) is not None:
            continue
        closing, name = match.group(2), match.group(3).lower()
        if name in VOID_TAGS or match.group(0).endswith("/>"):
            continue
        if closing:
            if name in stack:
                while stack and stack.pop() != name:
                    pass
        else:
            if name == "p" and stack and stack[-1] == "p":
                stack.pop()  # <p> implicitly closes an open <p>
            stack.append(name)
    out.append(_format_run(text[position:], stack[-1] if stack else None))
    result = "".join(out)
    result = re.sub(r"\n{3,}", "\n\n", result).strip() + "\n"
    return re.sub(r"\x02(\d+)\x03", lambda m: protected[int(m.group(1))], result)


# Everything together ---------------------------------------------------------------------------

_LEADING_PARAGRAPH = re.compile(r"^\s*<p(?:\s[^>]*)?>(.*?)</p>\s*", re.S | re.I)
_TAGS = re.compile(r"<[^>]+>")


def plain_text(fragment):
    return html.unescape(_TAGS.sub("", fragment or "")).strip()


def leading_marked_paragraphs(body, split_leading_marker):
    """Paragraphs at the very top that start with a language marker: ``[(code, text)], rest``.

    ``<p>[en] About …</p>`` is the sample blog's way of giving a summary in another language.
    """
    found = []
    while True:
        match = _LEADING_PARAGRAPH.match(body)
        if not match:
            break
        code, rest = split_leading_marker(plain_text(match.group(1)))
        if code is None or any(code == seen for seen, _ in found):
            break
        found.append((code, rest.strip(), match.group(0)))
        body = body[match.end() :]
    return found, body


def convert(content, *, post_wp_id=None, notes=None, language_codes=()):
    """WordPress post content -> the HTML its readers saw (without dynamic blocks)."""
    notes = notes if notes is not None else ConversionNotes()
    content = (content or "").replace("\r\n", "\n").replace("\r", "\n")
    if has_blocks(content):
        content = strip_block_comments(content, notes)
        content = embed_block_urls(content)
        content = expand_shortcodes(content, notes, post_wp_id, language_codes)
        return content.strip()
    content = expand_shortcodes(content, notes, post_wp_id, language_codes)
    content = auto_embed(content)
    return autop(content).strip()
