"""Embeds: a lone link is discovered by oEmbed through salon.net (a real provider on
127.0.0.1), after the save and never in a request, and shown as a local preview."""

import json

import lxml.html
import pytest
from django.core.management import call_command

from salon.blog.models import Post
from salon.blog.tests.factories import PostFactory
from salon.media import embeds
from salon.media.models import Embed

pytestmark = pytest.mark.django_db


def saved_post(body, capture, **kwargs):
    """A post saved as the author saves one: discovery runs in the tasks after the commit."""
    with capture(execute=True):
        post = PostFactory(body=body, **kwargs)
    return Post.objects.get(pk=post.pk)


def fragment(html):
    return lxml.html.fragment_fromstring(html, create_parent="div")


def test_a_lone_link_becomes_a_local_preview_of_the_providers_player(
    provider, media_root, django_capture_on_commit_callbacks
):
    url = provider.video("v1", title="Rouler l’hiver")
    post = saved_post(f"Regardez :\n\n{url}\n\nFin.", django_capture_on_commit_callbacks)
    embed = Embed.objects.get(url=url)
    assert embed.state == Embed.State.FOUND
    assert (embed.provider_name, embed.title, embed.kind) == ("TubeLoop", "Rouler l’hiver", "video")
    # (The page is also read by the Webmention sender, looking for an endpoint.)
    assert "/watch/v1" in provider.site.requests
    assert provider.site.requests.count("/oembed?id=v1") == 1
    assert provider.site.requests.count("/thumb/v1.jpg") == 1
    assert provider.player.requests == []  # the player is the reader's to load

    figure = fragment(post.body_html).cssselect("figure.media-embed")[0]
    assert figure.get("data-embed-src") == provider.player.url("/embed/v1")
    assert figure.get("data-embed-label") == "Charger depuis TubeLoop"  # the post's language
    assert (figure.get("data-embed-width"), figure.get("data-embed-height")) == ("640", "360")
    link = figure.cssselect("a.media-embed-preview")[0]
    assert link.get("href") == url
    thumbnail = link.cssselect("img")[0]
    assert thumbnail.get("src") == f"/media/{embed.thumbnail}"
    assert (media_root / embed.thumbnail).is_file()
    assert figure.cssselect(".media-embed-title")[0].text_content() == "Rouler l’hiver"
    assert figure.cssselect(".media-embed-provider")[0].text_content() == "TubeLoop"
    # Nothing of the provider's HTML is kept: no iframe, no script, no address of theirs to
    # fetch (only the link to follow and the player's address for the button).
    assert "<iframe" not in post.body_html and "<script" not in post.body_html
    assert "alert" not in post.body_html
    assert post.body_html.count(provider.site.base) == 1


def test_the_post_page_loads_nothing_from_the_provider(
    client, provider, django_capture_on_commit_callbacks
):
    url = provider.video("v2")
    post = saved_post(url, django_capture_on_commit_callbacks)
    page = lxml.html.fromstring(client.get(post.get_absolute_url()).content)
    fetched = [
        element.get(attribute)
        for attribute in ("src", "srcset", "data")
        for element in page.xpath(f"//*[@{attribute}]")
    ]
    assert fetched and not [a for a in fetched if "127.0.0.1:" in a]
    scripts = page.xpath("//script")
    assert scripts and all(s.get("src") and not (s.text or "").strip() for s in scripts)
    assert any(s.get("src").endswith("media/embed.js") for s in scripts)


def test_a_player_elsewhere_than_the_providers_site_is_not_embedded(
    provider, django_capture_on_commit_callbacks
):
    url = provider.video("v3", player_src="https://player.elsewhere.example/embed/v3")
    post = saved_post(url, django_capture_on_commit_callbacks)
    embed = Embed.objects.get(url=url)
    assert embed.state == Embed.State.FOUND and embed.iframe_src == ""
    figure = fragment(post.body_html).cssselect("figure.media-embed")[0]
    assert figure.get("data-embed-src") is None  # a preview linking to the page, no player


def test_a_plain_http_player_is_not_embedded(provider, django_capture_on_commit_callbacks):
    url = provider.video("v4", player_src=provider.site.url("/embed/v4"))
    saved_post(url, django_capture_on_commit_callbacks)
    assert Embed.objects.get(url=url).iframe_src == ""


def test_the_player_must_share_the_providers_site():
    html = '<iframe src="https://player.vimeo.com/video/1"></iframe>'
    assert embeds.player_src(html, "https://vimeo.com/1") == "https://player.vimeo.com/video/1"
    assert embeds.player_src(html, "https://vimeo.co.uk/1") == ""
    assert embeds.player_src(html.replace("vimeo.com", "vimeo.co.uk"), "https://vimeo.co.uk/") != ""
    assert (
        embeds.player_src(html.replace("player.vimeo", "x.other"), "https://www.other.co.uk") == ""
    )


def test_a_page_without_oembed_stays_a_plain_link(provider, django_capture_on_commit_callbacks):
    url = provider.video("v5", advertise=False)
    post = saved_post(f"{url}\n", django_capture_on_commit_callbacks)
    embed = Embed.objects.get(url=url)
    assert embed.state == Embed.State.NONE and "no JSON oEmbed" in embed.error
    link = fragment(post.body_html).cssselect("p > a")[0]
    assert link.get("href") == url and link.text_content() == url
    assert "media-embed" not in post.body_html


def test_a_failing_provider_leaves_a_link_and_is_tried_again(
    provider, django_capture_on_commit_callbacks
):
    url = provider.site.route("/watch/down", "busy", status=503)
    post = saved_post(url, django_capture_on_commit_callbacks)
    embed = Embed.objects.get(url=url)
    assert embed.state == Embed.State.RETRY and embed.next_attempt_at and embed.attempts == 1
    assert fragment(post.body_html).cssselect("p > a")[0].get("href") == url
    # The provider is back; the sweep finds the row due and the post shows the embed.
    provider.video("down")
    Embed.objects.filter(pk=embed.pk).update(next_attempt_at=embed.created_at)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("discover-embeds")
    assert Embed.objects.get(pk=embed.pk).state == Embed.State.FOUND
    assert "media-embed" in Post.objects.get(pk=post.pk).body_html


def test_only_a_link_alone_in_its_paragraph_is_looked_up(
    provider, django_capture_on_commit_callbacks
):
    url = provider.video("v6")
    saved_post(f"Voir {url} et le reste.\n\n> {url}\n", django_capture_on_commit_callbacks)
    assert not Embed.objects.exists()
    assert "/oembed?id=v6" not in provider.site.requests


def test_feeds_carry_a_plain_link(client, provider, django_capture_on_commit_callbacks):
    url = provider.video("v7", title="Le col")
    saved_post(f"Avant.\n\n{url}\n", django_capture_on_commit_callbacks, title="Montagne")
    feed = json.loads(client.get("/feed/json/").content)
    html = feed["items"][0]["content_html"]
    assert "media-embed" not in html and "data-embed-src" not in html
    link = fragment(html).cssselect("a")[0]
    assert (link.get("href"), link.text_content()) == (url, "Le col")
    assert provider.player.base not in html


def test_an_address_on_a_private_network_is_never_fetched(
    settings, django_capture_on_commit_callbacks
):
    settings.SALON_NET_ALLOW_LOOPBACK = False
    url = "http://127.0.0.1:9/watch/secret"
    post = saved_post(url, django_capture_on_commit_callbacks)
    embed = Embed.objects.get(url=url)
    assert embed.state == Embed.State.FAILED and "non-public address" in embed.error
    assert embed.next_attempt_at is None
    assert fragment(post.body_html).cssselect("p > a")[0].get("href") == url


@pytest.mark.parametrize(
    "answer, reason",
    [
        (b"<html>not json</html>", "not JSON"),
        (b"[" * 200_000 + b"]" * 200_000, "not JSON"),
        (b'["a list"]', "not a JSON object"),
        (b'{"type": "rich", "html": "<p>no player</p>"}', "no player, title or image"),
    ],
    ids=["html", "nested", "list", "empty"],
)
def test_an_unusable_oembed_answer_leaves_a_plain_link(
    provider, django_capture_on_commit_callbacks, answer, reason
):
    url = provider.video("odd")
    provider.site.route("/oembed?id=odd", answer, content_type="application/json")
    post = saved_post(url, django_capture_on_commit_callbacks)
    embed = Embed.objects.get(url=url)
    assert embed.state == Embed.State.NONE and reason in embed.error
    assert fragment(post.body_html).cssselect("p > a")[0].get("href") == url


def test_the_author_can_have_an_embed_looked_up_again(
    author_client, provider, django_capture_on_commit_callbacks
):
    url = provider.video("again", advertise=False)
    post = saved_post(url, django_capture_on_commit_callbacks)
    embed = Embed.objects.get(url=url)
    assert embed.state == Embed.State.NONE
    provider.video("again")  # the site now advertises its oEmbed
    with django_capture_on_commit_callbacks(execute=True):
        response = author_client.post(
            "/admin/media/embed/", {"action": "look_up_again", "_selected_action": [embed.pk]}
        )
    assert response.status_code == 302
    assert Embed.objects.get(pk=embed.pk).state == Embed.State.FOUND
    assert "media-embed" in Post.objects.get(pk=post.pk).body_html
