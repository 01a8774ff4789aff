"""``clean_html`` gives plain paragraphs back without parsing them: exactly what nh3 gives."""

import nh3
import pytest

from salon.conversations import text
from salon.portability.content import autop

TEXTS = [
    "",
    "One line.",
    "Two\nlines.",
    "Two paragraphs.\n\nThe second one, longer: with “quotes”, 'apostrophes', é and 😀.",
    "Trailing spaces  \n\n\n  and blank lines\n",
    "Tabs\tinside\tand a lone > sign",
    "An & ampersand",
    "A non-breaking\xa0space",
    "A\r\nWindows line",
    "A <b>bold</b> word",
    'A <a href="javascript:alert(1)">link</a>',
    "<p>Already a paragraph</p>",
    "<p>Unclosed paragraph",
    "</p>Stray close<p>",
    "Line<br>break<br/>and<br />more<br >",
    "<P>Upper case</P>",
    "Control\x01character",
    "Delete\x7fcharacter and vertical\x0btab",
    "<p>a</p>\r\n<p>b</p>",
    "<p>a<p>nested</p></p>",
    "Thin\u2009space and a line\u2028separator",
    "Entity &amp; and &lt;tag&gt;",
]


@pytest.mark.parametrize("raw", TEXTS)
@pytest.mark.parametrize("paragraphs", [False, True])
def test_clean_html_equals_nh3(raw, paragraphs):
    html = autop(raw) if paragraphs else raw
    by_nh3 = nh3.clean(
        html,
        tags=text.ALLOWED_TAGS,
        attributes=text.ALLOWED_ATTRIBUTES,
        url_schemes=text.URL_SCHEMES,
        link_rel=text.LINK_REL,
        strip_comments=True,
    ).strip()
    assert text.clean_html(html) == by_nh3
