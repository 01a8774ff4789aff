"""Other apps extend the rendering of bodies through the blog's two registries, without the blog
importing them: a markdown-it plugin (given the text's language) and a filter for feeds."""

import pytest

from salon.blog import rendering

from .factories import PostFactory


@pytest.fixture
def registered():
    """Register hooks for one test, then take them back."""
    plugins, filters = list(rendering._plugins), list(rendering._feed_filters)
    yield
    rendering._plugins[:], rendering._feed_filters[:] = plugins, filters
    rendering._markdown.cache_clear()


def shout(md):
    def rule(state):
        for token in state.tokens:
            for child in token.children or []:
                if child.type == "text":
                    child.content = f"{child.content.upper()} ({state.env['language']})"

    md.core.ruler.push("shout", rule)


def test_a_registered_plugin_renders_every_markdown_body_with_its_language(registered, db):
    rendering.register_markdown_plugin(shout)
    rendering.register_markdown_plugin(shout)  # once is enough
    assert rendering._plugins.count(shout) == 1
    post = PostFactory(body="bonjour", language="fr")
    assert post.body_html == "<p>BONJOUR (fr)</p>\n"
    # Imported HTML is kept as it was written.
    assert rendering.render_body("<p>hello</p>", rendering.HTML, "en") == "<p>hello</p>"


def test_feed_filters_apply_in_order(registered):
    rendering.register_feed_filter(lambda html: html.replace("a", "b"))
    rendering.register_feed_filter(lambda html: html + "!")
    assert rendering.for_feeds("banana") == "bbnbnb!"
