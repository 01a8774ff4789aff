"""The real sample blog (``../shared/corpus/sample/bilingual-sample.wxr``) for these tests.

It is imported with ``salon import-wxr`` when the portability app provides it; until then a
small reader of its own follows the sample's conventions (title ending in ``[fr]``/``[en]``,
first paragraph ``<p>[en] …</p>`` as the summary in the other language, ``post_tag``
categories as tags). Tests using it skip when the corpus is absent.
"""

import re
import unittest
from datetime import UTC, datetime
from pathlib import Path

from django.core.management import call_command, get_commands
from lxml import etree

from salon import languages
from salon.blog.models import BodyFormat, Post, PostSummary, Status, Tag

PROJECT_ROOT = Path(__file__).resolve().parents[4]
SAMPLE = PROJECT_ROOT.parent / "shared" / "corpus" / "sample" / "bilingual-sample.wxr"

NS = {
    "content": "http://purl.org/rss/1.0/modules/content/",
    "wp": "http://wordpress.org/export/1.2/",
}
_FIRST_PARAGRAPH = re.compile(r"^\s*<p>(.*?)</p>\s*", re.S)


def sample_path():
    if not SAMPLE.exists():
        # unittest's SkipTest, not pytest.skip(): this runs inside a TestCase's
        # setUpTestData, whose clean-up (rolling back the class transaction) only catches
        # Exception, and pytest's skip is a BaseException. A skip that escaped it left the
        # test database locked for every later test.
        raise unittest.SkipTest(f"sample corpus not found at {SAMPLE}")
    return SAMPLE


def load_sample():
    """Load the sample's ten posts; returns ``{title without marker: Post}``."""
    path = sample_path()
    if "import-wxr" in get_commands():
        call_command("import-wxr", str(path), verbosity=0)
    else:
        _load_with_own_reader(path)
    posts = {}
    for post in Post.objects.all():
        title, _ = languages.split_title_marker(post.title)
        posts[title] = post
    return posts


def _load_with_own_reader(path):
    tree = etree.parse(str(path))
    for item in tree.iter("item"):
        if item.findtext("wp:post_type", namespaces=NS) != "post":
            continue
        title, language = languages.split_title_marker(item.findtext("title"))
        content = item.findtext("content:encoded", namespaces=NS) or ""
        summary_language, summary = None, None
        first = _FIRST_PARAGRAPH.match(content)
        if first:
            summary_language, text = languages.split_leading_marker(first.group(1))
            if summary_language:
                summary = text.strip()
                content = content[first.end():]
        published = datetime.strptime(
            item.findtext("wp:post_date_gmt", namespaces=NS), "%Y-%m-%d %H:%M:%S"
        ).replace(tzinfo=UTC)
        post = Post.objects.create(
            title=title, language=language, body=content, body_format=BodyFormat.HTML,
            status=Status.PUBLISHED, published_at=published,
            slug=item.findtext("wp:post_name", namespaces=NS),
        )
        if summary:
            PostSummary.objects.create(post=post, language=summary_language, text=summary)
        post.tags.set([
            Tag.objects.get_or_create(name=category.text.strip())[0]
            for category in item.findall("category")
            if category.get("domain") == "post_tag"
        ])
