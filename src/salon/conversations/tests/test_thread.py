"""The conversation under a post: threaded comments from every door, faces, mentions, and a
page whose query count does not depend on the number of responses."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from salon.conversations.models import Origin, Response, State

pytestmark = pytest.mark.django_db


def add(post, **fields):
    values = {
        "post": post,
        "author_name": "Bob",
        "author_email": "bob@example.org",
        "content": "A comment.",
        "state": State.APPROVED,
    }
    values.update(fields)
    return Response.objects.create(**values)


def item(tree, response):
    return tree.cssselect(f"#response-{response.pk}")[0]


def test_replies_nest_under_their_parent_in_order(client, post, parse):
    first = add(post, content="First")
    second = add(post, content="Second")
    reply = add(post, parent=first, content="Reply to first")
    reply_to_reply = add(post, parent=reply, content="Deeper")
    tree = parse(client.get(post.get_absolute_url()))
    top = tree.cssselect("ol.thread > li.response")
    assert [li.get("id") for li in top] == [f"response-{first.pk}", f"response-{second.pk}"]
    nested = item(tree, first).cssselect("ol.replies > li.response")
    assert [li.get("id") for li in nested] == [
        f"response-{reply.pk}",
        f"response-{reply_to_reply.pk}",
    ]
    assert item(tree, reply_to_reply).getparent().getparent().get("id") == f"response-{reply.pk}"
    assert "2 comments" not in tree.cssselect("#responses-title")[0].text_content()
    assert tree.cssselect("#responses-title")[0].text_content().strip() == "4 comments"


def test_only_approved_responses_are_shown(client, post, parse):
    add(post, content="Visible")
    add(post, content="Held back", state=State.PENDING)
    add(post, content="Buy pills", state=State.SPAM)
    page = client.get(post.get_absolute_url()).content.decode()
    assert "Visible" in page and "Held back" not in page and "Buy pills" not in page


def test_each_comment_carries_its_own_language(client, post, parse):
    """A French comment under an English post is marked French (detected from its text)."""
    french = add(post, content="Merci pour ce billet, je suis tout à fait d'accord avec vous.")
    english = add(post, content="Thank you for this post, I completely agree with you.")
    tree = parse(client.get(post.get_absolute_url()))
    assert item(tree, french).cssselect(".e-content")[0].get("lang") == "fr"
    assert item(tree, english).cssselect(".e-content")[0].get("lang") == "en"


def test_author_name_links_to_their_website_and_never_shows_the_email(client, post, parse):
    add(post, author_url="https://bob.example/", author_email="secret-bob@example.org")
    add(post, author_name="Nosite", author_email="", author_url="")
    html = client.get(post.get_absolute_url()).content.decode()
    tree = parse(client.get(post.get_absolute_url()))
    link = tree.cssselect(".conversation a.p-name.u-url")[0]
    assert link.get("href") == "https://bob.example/" and "ugc" in link.get("rel")
    assert "secret-bob" not in html


def test_comments_are_plain_text_with_paragraphs_and_links(client, post, parse):
    response = add(post, content="One <b>bold</b> line\nsecond line\n\nSee https://example.org/x")
    body = item(parse(client.get(post.get_absolute_url())), response).cssselect(".e-content")[0]
    paragraphs = body.cssselect("p")
    assert len(paragraphs) == 2
    assert paragraphs[0].cssselect("br") and not body.cssselect("b")
    assert "<b>bold</b>" in paragraphs[0].text_content()
    assert body.cssselect("a")[0].get("href") == "https://example.org/x"


def test_imported_wordpress_comments_show_threaded(client, post, parse):
    """Rows written directly by the importer (HTML content, origin import) join the thread."""
    parent = Response.objects.create(
        post=post,
        origin=Origin.IMPORT,
        state=State.APPROVED,
        author_name="Wp",
        content="Un <em>vieux</em> commentaire importé de WordPress, avec du HTML.",
    )
    child = Response.objects.bulk_create(
        [
            Response(
                post=post,
                parent=parent,
                origin=Origin.IMPORT,
                state=State.APPROVED,
                author_name="Wp2",
                content="Une réponse <script>alert(1)</script><strong>ok</strong>",
            )
        ]
    )[0]
    tree = parse(client.get(post.get_absolute_url()))
    assert item(tree, parent).cssselect(".e-content em")
    reply = item(tree, parent).cssselect(f"ol.replies #response-{child.pk}")[0]
    assert reply.cssselect(".e-content strong") and not tree.cssselect(".conversation script")


def test_likes_and_reposts_are_faces_with_a_count_and_mentions_a_list(client, post, parse):
    for n in range(3):
        add(
            post,
            kind="like",
            origin=Origin.WEBMENTION,
            author_name=f"Liker {n}",
            author_photo=f"https://p{n}.example/me.jpg",
            source_url=f"https://p{n}.example/l",
        )
    add(
        post,
        kind="repost",
        origin=Origin.WEBMENTION,
        author_name="Sharer",
        source_url="https://s.example/r",
    )
    mention = add(
        post,
        kind="mention",
        origin=Origin.WEBMENTION,
        author_name="Writer",
        source_url="https://w.example/post",
        content="Ich habe darüber geschrieben.",
    )
    tree = parse(client.get(post.get_absolute_url()))
    assert tree.cssselect(".reaction-counts")[0].text_content().strip() == "3 likes · 1 repost"
    assert len(tree.cssselect(".facepile li.face-like img.u-photo")) == 3
    assert len(tree.cssselect(".facepile li.face-repost")) == 1
    mentions = tree.cssselect(".mentions li")
    assert [li.get("id") for li in mentions] == [f"response-{mention.pk}"]
    assert mentions[0].cssselect("a.u-url")[0].get("href") == "https://w.example/post"
    # Likes and mentions are not comments: the heading counts none and says so plainly.
    assert tree.cssselect("#responses-title")[0].text_content().strip() == "Comments"


def test_a_reply_link_prefills_the_form_and_stops_at_the_maximum_depth(
    client, post, parse, settings
):
    settings.SALON_COMMENTS_MAX_DEPTH = 2
    top = add(post)
    reply = add(post, parent=top)
    tree = parse(client.get(post.get_absolute_url()))
    assert item(tree, top).cssselect(".reply-link a")
    assert not item(tree, reply).cssselect(".reply-link a"), "no reply below the deepest level"
    tree = parse(client.get(f"{post.get_absolute_url()}?replyto={top.pk}"))
    assert tree.cssselect("form.comment-form input[name=parent]")[0].get("value") == str(top.pk)
    assert "Reply to Bob" in tree.cssselect("#respond-title")[0].text_content()


def test_closed_comments_show_the_thread_but_no_form(client, parse):
    from salon.blog.tests.factories import PostFactory

    closed = PostFactory(comments_open=False)
    add(closed, content="Old talk")
    tree = parse(client.get(closed.get_absolute_url()))
    assert tree.cssselect("ol.thread li.response")
    assert not tree.cssselect("form.comment-form") and not tree.cssselect(".reply-link")


def test_the_post_page_query_count_does_not_grow_with_comments(client, post):
    """A few comments or a hundred and fifty, threaded, with faces and mentions: same count."""
    add(post)

    def queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get(post.get_absolute_url()).status_code == 200
        return len(context.captured_queries)

    few = queries()
    parents = []
    for n in range(50):
        top = add(post, content=f"Top {n}", author_url=f"https://a{n}.example/")
        child = add(post, parent=top, content=f"Reply {n}", origin=Origin.IMPORT)
        add(
            post,
            parent=child,
            content=f"Deeper {n}",
            origin=Origin.WEBMENTION,
            source_url=f"https://w{n}.example/",
        )
        parents.append(top)
    for n in range(20):
        add(post, kind="like", origin=Origin.WEBMENTION, source_url=f"https://l{n}.example/")
        add(post, kind="mention", origin=Origin.WEBMENTION, source_url=f"https://m{n}.example/")
    many = queries()
    assert many == few, f"{few} queries with one comment, {many} with 190 responses"
