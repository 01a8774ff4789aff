"""How the blog looks in a real browser: nothing runs off the side at desktop or phone width,
the header's search and the tables are styled, focus always shows, the demo has pictures."""

import base64
import io
import re

import pytest
from django.core.management import call_command
from PIL import Image

from salon.blog.tests.factories import PostFactory
from salon.portability.content import gallery_html

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [1280, 390]


def png_data_url(width, height, colour):
    """A real image of a real size (large, as WordPress uploads are), inline."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def imported_post():
    """A post as the WordPress import writes it: a gallery of nine large images in nine columns
    (the most WordPress allows) with file names as captions, then a wide table, in HTML."""
    attachments = [
        {
            "url": png_data_url(1600, 1067, (40 * i, 90, 140)),
            "alt": f"Photo {i}",
            "caption": f"IMG_20190612_15301{i}.jpg",
        }  # WordPress's default: the file name
        for i in range(9)
    ]
    gallery = gallery_html({"columns": 9, "link": "file"}, attachments)
    table = (
        "<table><tr>"
        + "".join(f"<th>Column heading {i}</th>" for i in range(9))
        + "</tr><tr>"
        + "".join(f"<td>a-rather-long-unbreakable-value-{i}</td>" for i in range(9))
        + "</tr></table>"
    )
    return PostFactory(
        title="Un album importé",
        body_format="html",
        body=f"<p>Quelques photos.</p>{gallery}{table}",
    )


def markdown_table_post():
    return PostFactory(
        title="Sourdough notes",
        language="en",
        body="""A shared starter.

| Day | Who fed it | Notes |
|-----|------------|-------|
| Monday | Amina | thick, smells of apples |
| Wednesday | me | too runny, more flour |
""",
    )


def open_page(chromium, url, width=1280, scheme="light"):
    context = chromium.new_context(
        viewport={"width": width, "height": 900}, color_scheme=scheme, locale="en-GB"
    )
    page = context.new_page()
    page.goto(url)
    page.wait_for_load_state("load")
    return context, page


def document_width(page):
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.parametrize("width", WIDTHS)
def test_galleries_and_tables_fit_the_window(live_server, chromium, width):
    """At desktop and phone widths, an imported gallery and a wide table stay inside the
    window: the page never scrolls sideways; on a phone the gallery wraps to fewer columns."""
    post = imported_post()
    markdown_table_post()
    for url in [post.get_absolute_url(), "/"]:
        context, page = open_page(chromium, live_server.url + url, width)
        try:
            assert document_width(page) <= width, f"{url} is wider than the window"
            main = page.locator("main").bounding_box()
            gallery = page.locator(".gallery").first.bounding_box()
            assert gallery["x"] >= main["x"] and (
                gallery["x"] + gallery["width"] <= main["x"] + main["width"] + 0.5
            )
            tops = page.locator(".gallery-item").evaluate_all(
                "items => items.map(item => Math.round(item.getBoundingClientRect().top))"
            )
            per_row = max(tops.count(top) for top in set(tops))
            assert per_row == (9 if width == 1280 else 2), tops
        finally:
            context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_header_search_and_tables_are_styled_like_the_rest(live_server, chromium, scheme):
    """The search box and its button use the site's fonts and colours, not the browser's
    defaults; Markdown tables have ruled rows, in both colour schemes."""
    post = markdown_table_post()
    context, page = open_page(chromium, live_server.url + post.get_absolute_url(), scheme=scheme)
    try:
        style = page.evaluate("""() => {
            const css = (selector) => getComputedStyle(document.querySelector(selector));
            return {
                header_font: css('.site-header').fontFamily,
                input_font: css('.site-search input').fontFamily,
                input_background: css('.site-search input').backgroundColor,
                button_font: css('.site-search button').fontFamily,
                button_background: css('.site-search button').backgroundColor,
                button_radius: css('.site-search button').borderTopLeftRadius,
                paper: css('body').backgroundColor,
                accent: css('.site-name a').color === '' ? '' : getComputedStyle(
                    document.querySelector('.site-footer a, .post-meta a')).color,
                heading_rule: css('.e-content th').borderBottomStyle,
                cell_rule: css('.e-content td').borderBottomStyle,
                collapse: css('.e-content table').borderCollapse,
            };
        }""")
    finally:
        context.close()
    assert style["input_font"] == style["header_font"] == style["button_font"]
    assert style["input_background"] == style["paper"]
    assert style["button_background"] == style["accent"]
    assert style["button_radius"] != "0px"
    assert style["heading_rule"] == style["cell_rule"] == "solid"
    assert style["collapse"] == "collapse"


def relative_luminance(css_colour):
    red, green, blue = (int(v) / 255 for v in re.findall(r"\d+", css_colour)[:3])

    def channel(c):
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def contrast(first, second):
    lighter, darker = sorted([relative_luminance(first), relative_luminance(second)], reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_keyboard_focus_shows_in_both_colour_schemes(live_server, chromium, scheme):
    """Tabbing to a link draws the site's own ring (not the browser's "auto" one), solid, at
    least 2 px, and at least 3:1 against the page (WCAG non-text contrast)."""
    PostFactory(title="Le vélo en hiver")
    context, page = open_page(chromium, live_server.url + "/", scheme=scheme)
    try:
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")  # past the skip link, to the site name
        focused = page.evaluate("""() => {
            const element = document.activeElement, style = getComputedStyle(element);
            return {tag: element.tagName, style: style.outlineStyle, width: style.outlineWidth,
                    colour: style.outlineColor,
                    paper: getComputedStyle(document.body).backgroundColor};
        }""")
    finally:
        context.close()
    assert focused["tag"] == "A"
    assert focused["style"] == "solid", focused
    assert float(focused["width"].removesuffix("px")) >= 2
    assert contrast(focused["colour"], focused["paper"]) >= 3, focused


def test_the_demo_home_shows_images_with_alt_text(live_server, chromium):
    """A newcomer's first page has pictures: loaded, described, credited in a caption."""
    call_command("load-demo")
    context, page = open_page(chromium, live_server.url + "/")
    try:
        images = page.locator("main img").evaluate_all("""images => images.map(image => ({
            alt: image.getAttribute('alt'), loaded: image.complete && image.naturalWidth > 0,
            caption: image.closest('figure')?.querySelector('figcaption')?.textContent ?? ''}))""")
    finally:
        context.close()
    pictures = [image for image in images if "avatar" not in image["alt"]]
    assert len(pictures) >= 1, images
    for image in pictures:
        assert image["loaded"], image
        assert image["alt"].strip(), image
        assert image["caption"].strip(), image
