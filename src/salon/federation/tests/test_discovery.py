"""Being found: WebFinger, NodeInfo, the actors, the post permalinks under content
negotiation (and the page cache kept right for both), the links and the handle on pages."""

import pytest
from lxml import html as lxml_html

from salon.blog.models import Visibility
from salon.blog.tests.factories import PostFactory
from salon.federation import conf
from salon.federation.models import LocalKey

AP = "application/activity+json"
LD = 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"'
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://blog.example"
    settings.ALLOWED_HOSTS = ["blog.example", "testserver"]
    settings.SALON_AUTHOR_NAME = "Élodie Martin"
    settings.SALON_FEDIVERSE_HANDLE = ""


def test_webfinger_finds_the_default_handle(client):
    response = client.get("/.well-known/webfinger", {"resource": "acct:elodie_martin@blog.example"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/jrd+json")
    document = response.json()
    assert document["subject"] == "acct:elodie_martin@blog.example"
    self_link = next(link for link in document["links"] if link["rel"] == "self")
    assert self_link == {"rel": "self", "type": AP, "href": "https://blog.example/ap/actor"}


def test_webfinger_follows_the_handle_setting(client, settings):
    settings.SALON_FEDIVERSE_HANDLE = "@plume@blog.example"
    assert (
        client.get("/.well-known/webfinger", {"resource": "acct:plume@blog.example"}).status_code
        == 200
    )
    assert (
        client.get(
            "/.well-known/webfinger", {"resource": "acct:elodie_martin@blog.example"}
        ).status_code
        == 404
    )


@pytest.mark.parametrize(
    "query", [{}, {"resource": "acct:someone@else.example"}, {"resource": "<script>"}]
)
def test_webfinger_refuses_what_is_not_here(client, query):
    response = client.get("/.well-known/webfinger", query)
    assert response.status_code in (400, 404)
    assert "error" in response.json()


def test_nodeinfo_2_1(client):
    PostFactory()
    index = client.get("/.well-known/nodeinfo").json()
    href = index["links"][0]["href"]
    assert index["links"][0]["rel"] == "http://nodeinfo.diaspora.software/ns/schema/2.1"
    document = client.get(href.removeprefix("https://blog.example")).json()
    assert document["version"] == "2.1"
    assert document["software"]["name"] == "salon"
    assert document["protocols"] == ["activitypub"]
    assert document["usage"]["localPosts"] == 1
    assert document["openRegistrations"] is False


@pytest.mark.parametrize("accept", [AP, LD])
def test_the_actor_is_a_person_with_everything_servers_read(client, accept, settings):
    settings.SALON_AUTHOR_PHOTO = "https://blog.example/media/me.jpg"
    settings.SALON_FEDIVERSE_ALSO_KNOWN_AS = ["https://mastodon.example/users/elodie"]
    settings.SALON_SITE_DESCRIPTIONS = {"fr": "Du pain et des vélos.", "en": "Bread and bicycles."}
    response = client.get("/ap/actor", HTTP_ACCEPT=accept)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(AP)
    assert "Accept" in response["Vary"]
    actor = response.json()
    assert actor["type"] == "Person"
    assert actor["id"] == "https://blog.example/ap/actor"
    assert actor["preferredUsername"] == "elodie_martin"
    assert actor["name"] == "Élodie Martin"
    assert actor["summaryMap"] == {"fr": "Du pain et des vélos.", "en": "Bread and bicycles."}
    assert actor["icon"]["url"] == "https://blog.example/media/me.jpg"
    assert actor["url"] == "https://blog.example/"
    assert actor["endpoints"]["sharedInbox"] == "https://blog.example/ap/inbox"
    assert actor["alsoKnownAs"] == ["https://mastodon.example/users/elodie"]
    for name in ("inbox", "outbox", "followers", "featured"):
        assert actor[name].startswith("https://blog.example/ap/actor/")
    assert actor["publicKey"]["owner"] == actor["id"]
    assert actor["publicKey"]["publicKeyPem"] == LocalKey.objects.get(actor="author").public_pem


def test_the_key_is_made_once(client):
    first = client.get("/ap/actor", HTTP_ACCEPT=AP).json()["publicKey"]["publicKeyPem"]
    second = client.get("/ap/actor", HTTP_ACCEPT=AP).json()["publicKey"]["publicKeyPem"]
    assert first == second
    assert LocalKey.objects.filter(actor="author").count() == 1
    from cryptography.hazmat.primitives import serialization

    assert serialization.load_pem_public_key(first.encode()).key_size == 2048


def test_the_instance_actor_is_an_application_with_its_own_key(client):
    instance = client.get("/ap/instance", HTTP_ACCEPT=AP).json()
    person = client.get("/ap/actor", HTTP_ACCEPT=AP).json()
    assert instance["type"] == "Application"
    assert instance["publicKey"]["publicKeyPem"] != person["publicKey"]["publicKeyPem"]


def test_a_browser_gets_the_actors_page_with_the_handle(client):
    response = client.get("/ap/actor", HTTP_ACCEPT=BROWSER)
    assert response["Content-Type"].startswith("text/html")
    tree = lxml_html.fromstring(response.content)
    assert tree.cssselect("#fediverse-handle")[0].text == "@elodie_martin@blog.example"


def test_a_post_answers_activitypub_clients_with_its_article(client):
    post = PostFactory(
        title="Le pain",
        language="fr",
        summaries={"en": "About bread."},
        tags=["pain"],
        cover_image_url="https://img.example/pain.jpg",
        cover_alt="Une miche sur la table",
    )
    response = client.get(post.get_absolute_url(), HTTP_ACCEPT=AP)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(AP)
    assert "Accept" in response["Vary"]
    article = response.json()
    assert article["type"] == "Article"
    assert article["id"] == "https://blog.example" + post.get_absolute_url()
    assert article["name"] == "Le pain"
    assert list(article["contentMap"]) == ["fr"]
    assert article["summary"] == "About bread."
    assert article["summaryMap"] == {"en": "About bread."}
    assert article["tag"][0]["type"] == "Hashtag"
    assert article["tag"][0]["href"] == "https://blog.example/tag/pain/"
    assert article["to"] == ["https://www.w3.org/ns/activitystreams#Public"]
    assert article["cc"] == ["https://blog.example/ap/actor/followers"]
    assert article["attachment"] == [
        {"type": "Image", "url": "https://img.example/pain.jpg", "name": "Une miche sur la table"}
    ]
    assert article["replies"].startswith("https://blog.example/ap/posts/")
    assert (
        article["url"] == article["id"]
        and article["attributedTo"] == "https://blog.example/ap/actor"
    )


@pytest.mark.parametrize(
    "changes", [{"visibility": Visibility.UNLISTED}, {"password": "secret"}, {"status": "draft"}]
)
def test_posts_not_listed_have_no_activitypub_object(client, changes):
    post = PostFactory(**changes)
    response = client.get(post.get_absolute_url(), HTTP_ACCEPT=AP)
    assert response.status_code == 404
    assert response["Content-Type"].startswith(AP)


def test_the_page_cache_never_mixes_html_and_json(client, settings):
    settings.SALON_PAGE_CACHE_SECONDS = 600
    post = PostFactory()
    url = post.get_absolute_url()
    first_html = client.get(url, HTTP_ACCEPT=BROWSER)
    assert first_html["X-Salon-Page-Cache"] == "miss"
    json_answer = client.get(url, HTTP_ACCEPT=AP)
    assert json_answer["Content-Type"].startswith(AP)
    kept_html = client.get(url, HTTP_ACCEPT=BROWSER)
    assert kept_html["X-Salon-Page-Cache"] == "hit"
    assert kept_html["Content-Type"].startswith("text/html")
    assert "Accept" in kept_html["Vary"]
    assert client.get(url, HTTP_ACCEPT=AP)["Content-Type"].startswith(AP)


def test_pages_link_to_their_activitypub_form_and_show_the_handle(client):
    post = PostFactory()
    tree = lxml_html.fromstring(client.get(post.get_absolute_url()).content)
    link = tree.cssselect('link[rel="alternate"][type="application/activity+json"]')
    assert link[0].get("href") == "https://blog.example" + post.get_absolute_url()
    home = lxml_html.fromstring(client.get("/").content)
    link = home.cssselect('link[rel="alternate"][type="application/activity+json"]')
    assert link[0].get("href") == "https://blog.example/ap/actor"
    assert home.cssselect(".fediverse-handle code")[0].text == "@elodie_martin@blog.example"
    assert home.cssselect("button.copy-handle")
    assert tree.cssselect(".fediverse-handle code")[0].text == "@elodie_martin@blog.example"
    assert tree.cssselect("button.copy-handle")
    scripts = [
        s.get("src") for s in tree.cssselect("script") if "copy-handle" in (s.get("src") or "")
    ]
    assert scripts == ["/static/federation/copy-handle.js"]  # a static file, never inline


def test_collections(client):
    PostFactory.create_batch(25)
    PostFactory(sticky=True, title="Épinglé")
    outbox = client.get("/ap/actor/outbox", HTTP_ACCEPT=AP).json()
    assert outbox["type"] == "OrderedCollection" and outbox["totalItems"] == 26
    page = client.get("/ap/actor/outbox?page=1", HTTP_ACCEPT=AP).json()
    assert len(page["orderedItems"]) == conf.OUTBOX_PAGE_SIZE
    assert page["orderedItems"][0]["type"] == "Create"
    second = client.get("/ap/actor/outbox?page=2", HTTP_ACCEPT=AP).json()
    assert len(second["orderedItems"]) == 6 and "next" not in second
    assert client.get("/ap/actor/outbox?page=9", HTTP_ACCEPT=AP).status_code == 404
    followers = client.get("/ap/actor/followers", HTTP_ACCEPT=AP).json()
    assert followers["totalItems"] == 0 and "orderedItems" not in followers
    featured = client.get("/ap/actor/featured", HTTP_ACCEPT=AP).json()
    assert [item["name"] for item in featured["orderedItems"]] == ["Épinglé"]
