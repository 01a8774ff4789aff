"""No Webmention work reaches loopback, private, link-local or multicast addresses unless a
setting allows it: checked after DNS resolution and again on every redirect."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from salon import net
from salon.blog.tests.factories import PostFactory
from salon.webmention import discovery
from salon.webmention.models import Reason, ReceivedState, ReceivedWebmention

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "http://10.1.2.3/",
        "http://192.168.1.1/",
        "http://172.16.0.1/",  # private
        "http://169.254.169.254/latest/meta-data/",  # link-local (cloud metadata)
        "http://[fe80::1]/",  # IPv6 link-local
        "http://224.0.0.1/",
        "http://[ff02::1]/",  # multicast
        "http://0.0.0.0/",  # unspecified
    ],
)
def test_non_public_addresses_are_refused(url):
    with pytest.raises(net.BlockedAddress):
        discovery.discover(url)


def test_loopback_is_refused_unless_allowed_even_through_a_name(site, settings):
    url = site.page("/p", "<html></html>")
    assert discovery.discover(url).endpoint is None  # allowed in tests
    settings.SALON_NET_ALLOW_LOOPBACK = False
    with pytest.raises(net.BlockedAddress):
        discovery.discover(url)
    with pytest.raises(net.BlockedAddress):  # a name resolving to 127.0.0.1, after DNS
        discovery.discover(url.replace("127.0.0.1", "localhost"))


def test_private_setting_allows_private_ranges_only(settings):
    settings.SALON_NET_ALLOW_PRIVATE = True
    assert net.resolve_checked("10.1.2.3", 80) == "10.1.2.3"
    assert net.resolve_checked("169.254.1.1", 80) == "169.254.1.1"
    with pytest.raises(net.BlockedAddress):
        net.resolve_checked("224.0.0.1", 80)


@pytest.mark.parametrize(
    "location", ["http://10.0.0.1/secret", "http://169.254.169.254/", "http://[::ffff:10.0.0.1]/"]
)
def test_redirect_to_a_private_address_is_refused(site, location):
    url = site.page("/jump", "", status=302, headers=[("Location", location)])
    with pytest.raises(net.BlockedAddress):
        discovery.discover(url)


def test_webmention_with_a_private_source_is_not_fetched(
    client, django_capture_on_commit_callbacks
):
    """The request is accepted (no network work in it); verification refuses the address."""
    post = PostFactory(published_at=timezone.now() - timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/webmention/",
            {
                "source": "http://169.254.169.254/latest/",
                "target": settings.SITE_URL + post.get_absolute_url(),
            },
        )
    assert response.status_code == 201
    row = ReceivedWebmention.objects.get()
    assert (row.state, row.reason) == (ReceivedState.REJECTED, Reason.FETCH_FAILED)
    assert "non-public address" in row.detail
