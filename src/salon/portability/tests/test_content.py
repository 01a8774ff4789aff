"""WordPress's display-time rules, applied once at import (content.py's public functions)."""

from lxml import html

from salon.portability.content import (
    ConversionNotes,
    autop,
    convert,
    expand_shortcodes,
    strip_block_comments,
)


def fragment(markup):
    return html.fromstring(f"<div>{markup}</div>")


def test_blank_lines_make_paragraphs_and_newlines_breaks():
    out = fragment(autop("One line\nand the next.\n\nA new paragraph."))
    assert [p.text_content() for p in out.xpath("./p")] == [
        "One line\nand the next.",
        "A new paragraph.",
    ]
    assert len(out.xpath("./p[1]/br")) == 1


def test_block_elements_are_left_alone():
    source = (
        "Intro\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n<table>\n<tr><td>x</td></tr>\n</table>"
    )
    out = fragment(autop(source))
    assert out.xpath("./p/text()") == ["Intro"]
    assert not out.xpath("//ul//br | //table//br | //p//ul")


def test_preformatted_text_and_comments_are_untouched():
    source = "<pre>line 1\n\nline 2</pre>\n\n<!--more-->\n\nAfter."
    out = autop(source)
    assert "<pre>line 1\n\nline 2</pre>" in out and "<!--more-->" in out
    assert "<p><!--more-->" not in out


def test_blockquote_text_gets_paragraphs():
    out = fragment(autop("<blockquote>Quoted\n\nTwice</blockquote>"))
    assert [p.text for p in out.xpath("//blockquote/p")] == ["Quoted", "Twice"]


def test_autop_is_idempotent():
    once = autop("A\nB\n\n<div>C</div>\n\nD <em>e</em>\nf")
    assert autop(once) == once


def test_block_comments_go_and_dynamic_blocks_are_counted():
    notes = ConversionNotes()
    out = strip_block_comments(
        '<!-- wp:paragraph -->\n<p>Hi</p>\n<!-- /wp:paragraph -->\n<!-- wp:archives {"x":1} /-->',
        notes,
    )
    assert out.strip() == "<p>Hi</p>" and notes.dynamic_blocks == {"archives": 1}


def test_caption_becomes_a_figure():
    out = fragment(
        expand_shortcodes(
            '[caption id="attachment_5" align="alignleft" width="200"]<a href="/big.jpg">'
            '<img src="/small.jpg" alt="A cat"></a> A <em>cat</em>[/caption]'
        )
    )
    figure = out.xpath("//figure")[0]
    assert "alignleft" in figure.get("class") and figure.get("id") == "attachment_5"
    assert figure.xpath(".//a/img/@src") == ["/small.jpg"]
    assert figure.xpath("string(figcaption)") == "A cat"


def test_media_shortcodes():
    audio = fragment(expand_shortcodes('[audio mp3="https://x.example/a.mp3"]'))
    assert audio.xpath("//audio/source/@src") == ["https://x.example/a.mp3"]
    video = fragment(
        expand_shortcodes('[video width="640" height="360" mp4="https://x.example/v.mp4"][/video]')
    )
    assert video.xpath("//video/@width") == ["640"]
    embed = fragment(expand_shortcodes("[embed]https://vimeo.com/12345[/embed]"))
    assert embed.xpath("//figure/@data-embed-src") == ["https://player.vimeo.com/video/12345"]
    other = fragment(expand_shortcodes("[embed]https://example.org/page[/embed]"))
    assert other.xpath("//a/@href") == ["https://example.org/page"]


def test_unknown_shortcodes_are_kept_and_counted_but_brackets_in_prose_are_not():
    notes = ConversionNotes()
    text = 'She wrote [sic] twice.\n\n[my_form id="3"]\n\n[fr] marker and [1] footnote'
    assert expand_shortcodes(text, notes, language_codes={"fr", "en"}) == text
    assert notes.unknown_shortcodes == {"my_form": 1}


def test_escaped_shortcode_is_literal_text():
    assert expand_shortcodes("Type [[gallery]] to get one.") == "Type [gallery] to get one."


def test_classic_url_alone_on_its_line_is_embedded():
    out = fragment(convert("Watch:\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\n\nNice."))
    assert out.xpath("//figure/@data-embed-src") == [
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    ]
