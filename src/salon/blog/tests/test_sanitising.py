"""A post's body holds what the allow-list lets through: structure, media, tables, code,
the embeds Salon makes; never what runs (scripts, handlers, script URLs, frames)."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from lxml import html

from salon.blog.models import Post
from salon.blog.rendering import render_body
from salon.blog.sanitising import removed_markup, sanitise

from .factories import PageFactory, PostFactory

HERE = Path(__file__).resolve().parent
COMMENT_PAYLOADS = HERE.parent.parent / "conversations" / "tests" / "xss_payloads.txt"


def payloads():
    """The comments' 58 payloads and the bodies' own (mXSS, srcset, Markdown links, embeds)."""
    lines = []
    for path in (COMMENT_PAYLOADS, HERE / "hostile_payloads.txt"):
        lines += [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return lines


BAD_URL = re.compile(r"^(javascript|vbscript|data|livescript):", re.I)
ALLOWED_SOURCE = re.compile(r"^(https?:|mailto:|tel:|[^:]*$|[^:]*[/?#])", re.I)


def assert_inert(fragment, where):
    tree = html.fragment_fromstring(fragment, create_parent="div")
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        assert element.tag not in {
            "script",
            "style",
            "iframe",
            "object",
            "embed",
            "form",
            "input",
            "svg",
            "math",
            "base",
            "meta",
            "link",
            "template",
            "noscript",
        }, (where, fragment)
        for name, value in element.attrib.items():
            assert not name.startswith("on"), (where, fragment)
            assert name not in {"style", "srcdoc", "formaction", "xlink:href"}, (where, fragment)
            if name in {"href", "src", "poster", "cite", "background", "action"}:
                compact = re.sub(r"[\s\x00-\x1f]", "", value)
                assert not BAD_URL.match(compact), (where, fragment)
                assert ALLOWED_SOURCE.match(compact), (where, fragment)
            if name == "srcset":
                assert "javascript:" not in value and "data:" not in value, (where, fragment)


def test_there_are_more_than_sixty_payloads():
    assert len(payloads()) >= 60


@pytest.mark.parametrize("body_format", ["markdown", "html"])
def test_every_payload_is_inert_in_a_body(body_format):
    for payload in payloads():
        assert_inert(render_body(payload, body_format), payload)
        assert_inert(render_body(f"Before\n\n{payload}\n\nAfter", body_format), payload)


def test_what_a_body_may_hold_is_kept():
    body = (
        '<h2 id="chapter-1" lang="en">Chapter</h2>'
        '<figure class="wide"><picture><source srcset="/media/a.avif 1x, /media/a@2x.avif 2x" '
        'type="image/avif" sizes="50vw"><img src="https://x.example/a.jpg" alt="A" width="600" '
        'height="400" loading="lazy" decoding="async"></picture><figcaption>Caption</figcaption>'
        "</figure>"
        "<table><thead><tr><th>a</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>"
        '<pre><code class="language-python">print(1)</code></pre>'
        "<details><summary>More</summary><p>Hidden</p></details>"
        '<p dir="rtl" lang="he">שלום</p>'
        '<figure class="embed" data-embed-provider="youtube" data-embed-id="abc">'
        '<button type="button" data-embed-load>Play</button></figure>'
        '<a href="https://x.example/" rel="me">me</a> <a href="/2024/01/01/x/">here</a>'
    )
    tree = html.fragment_fromstring(render_body(body, "html"), create_parent="div")
    assert tree.xpath("//h2/@id") == ["chapter-1"]
    assert tree.xpath("//h2/@lang") == ["en"]
    assert tree.xpath("//source/@srcset") == ["/media/a.avif 1x, /media/a@2x.avif 2x"]
    assert tree.xpath("//source/@sizes") == ["50vw"]
    image = tree.xpath("//img")[0]
    assert (image.get("loading"), image.get("decoding"), image.get("width")) == (
        "lazy",
        "async",
        "600",
    )
    assert tree.xpath("//figcaption/text()") == ["Caption"]
    assert tree.xpath("//td/text()") == ["1"]
    assert tree.xpath("//code/@class") == ["language-python"]
    assert tree.xpath("//summary/text()") == ["More"]
    assert tree.xpath("//p[@dir='rtl']/@lang") == ["he"]
    embed = tree.xpath("//figure[@data-embed-provider]")[0]
    assert embed.get("data-embed-id") == "abc"
    assert embed.xpath("button/@type") == ["button"]
    assert tree.xpath("//a/@href") == ["https://x.example/", "/2024/01/01/x/"]
    assert tree.xpath("//a/@rel") == ["me"], "the author's own rel is kept, none added"


def test_markdown_tables_align_by_class_not_style():
    out = render_body("| a | b |\n|:-:|--:|\n| 1 | 2 |\n")
    tree = html.fragment_fromstring(out, create_parent="div")
    assert tree.xpath("//td/@class") == ["align-center", "align-right"]
    assert "style=" not in out


def test_what_is_removed_is_counted_by_kind():
    removed = removed_markup(
        '<script>x</script><p onclick="a()" style="color:red">t</p>'
        '<a href="javascript:x">l</a><iframe src="https://x.example/"></iframe>'
        '<img srcset="data:image/png;base64,AAAA 1x"><!-- <script> in a comment -->'
    )
    assert removed == {
        "script": 1,
        "event handler": 1,
        "style=": 1,
        "unsafe URL": 2,
        "<iframe>": 1,
    }
    assert removed_markup("<p>Plain <em>text</em></p>") == {}


def test_sanitising_twice_changes_nothing():
    for payload in payloads():
        once = sanitise(payload)
        assert sanitise(once) == once, payload


@pytest.mark.django_db
def test_render_bodies_cleans_rows_written_before_the_allow_list(run_render_bodies):
    post = PostFactory(body="<p>Fine</p>", body_format="html")
    page = PageFactory(body="About")
    Post.objects.filter(pk=post.pk).update(body_html='<p>Fine</p><script>alert("old")</script>')
    out = run_render_bodies()
    post.refresh_from_db()
    assert post.body_html == "<p>Fine</p>"
    assert "1 posts and 0 pages changed" in out
    page.refresh_from_db()
    assert page.body_html == render_body("About")


@pytest.fixture
def run_render_bodies():
    from io import StringIO

    def run():
        out = StringIO()
        call_command("render-bodies", stdout=out)
        return out.getvalue()

    return run
