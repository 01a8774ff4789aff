"""The real sample blog (``../shared/corpus/sample/bilingual-sample.wxr``) for these tests.

It is imported with ``salon import-wxr``. Tests using it fail under CI when the corpus is
absent, and skip elsewhere (``salon.testing.corpus_file``).
"""

from django.core.management import call_command

from salon import languages, testing
from salon.blog.models import Post


def load_sample():
    """Load the sample's ten posts; returns ``{title without marker: Post}``."""
    path = testing.corpus_file("sample/bilingual-sample.wxr")
    call_command("import-wxr", str(path), verbosity=0)
    posts = {}
    for post in Post.objects.all():
        title, _ = languages.split_title_marker(post.title)
        posts[title] = post
    return posts
