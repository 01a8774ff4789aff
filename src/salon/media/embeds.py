"""oEmbed discovery for the links a body writes alone on a line, through ``salon.net``.

Never inside a request: ``tasks.find_embeds`` notes the lone links of changed posts (one
``Embed`` row per address) and ``tasks.discover_embed`` makes one attempt per row with
``discover(embed_id)``, which returns an ``outbox.Outcome`` (the outbox's give-up rules):

1. the page is fetched and its ``<link rel="alternate" type="application/json+oembed">`` read
   (none: nothing to embed, for good; a 404 or 410 too; a private address or an answer over
   the size cap fails for good; a network failure or a 5xx is retried);
2. the oEmbed answer is fetched and read: title, author, provider, type;
3. the player: the provider's HTML is never kept nor shown; only the ``src`` of its first
   ``<iframe>`` is, when it is ``https`` and on the site of the page or of the oEmbed endpoint
   (``player.vimeo.com`` for ``vimeo.com``): the site's own iframe is built from it, sandboxed;
4. the thumbnail (or a photo's image) is downloaded, made a JPEG by the library's own reader
   and stored under ``MEDIA_ROOT/embeds/<key>/``: readers never ask the provider for it.

Once found, the posts and pages showing the address are rendered again.
"""

import ipaddress
import json
import logging
import secrets
import shutil
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import lxml.html
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from salon import net, outbox
from salon.blog.models import Page, Post

from . import conf
from .library import rerender
from .models import Embed
from .processing import RefusedImage, thumbnail

logger = logging.getLogger("salon.media")
BACKOFF = outbox.Backoff.doubling(300, 86400, 6)
OEMBED_TYPES = ("application/json+oembed", "text/json+oembed")


class NothingToEmbed(Exception):
    """The page offers no oEmbed, or one Salon cannot use: a permanent answer."""


def _site_of(host):
    """The part of a host name two addresses must share to be the same site: the last two
    labels (three under a two-letter country code with a short second level, ``co.uk``);
    an IP address is only itself."""
    host = (host or "").lower().rstrip(".")
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        pass
    labels = host.split(".")
    count = 3 if len(labels) >= 3 and len(labels[-1]) == 2 and len(labels[-2]) <= 3 else 2
    return ".".join(labels[-count:])


def player_src(html, *allowed_urls):
    """The ``src`` of the first iframe of an oEmbed ``html``, when it is https and on the site
    of one of ``allowed_urls``; else ''."""
    if not html or "<iframe" not in html.lower():
        return ""
    try:
        tree = lxml.html.fragment_fromstring(html, create_parent="div")
    except (ValueError, lxml.etree.ParserError):
        return ""
    frame = next(iter(tree.iter("iframe")), None)
    src = (frame.get("src") or "").strip() if frame is not None else ""
    parts = urlsplit(src)
    if parts.scheme != "https" or not parts.hostname:
        return ""
    sites = {_site_of(urlsplit(u).hostname) for u in allowed_urls if u}
    return src if _site_of(parts.hostname) in sites else ""


def oembed_endpoint(page_html, base_url):
    """The JSON oEmbed address a page advertises, or None."""
    try:
        tree = lxml.html.document_fromstring(page_html)
    except (ValueError, lxml.etree.ParserError):
        return None
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        if "alternate" in rel and (link.get("type") or "").lower().strip() in OEMBED_TYPES:
            href = (link.get("href") or "").strip()
            if href:
                return urljoin(base_url, href)
    return None


def _fetch(url, max_bytes):
    result = net.fetch(url, max_bytes=max_bytes, timeout=conf.FETCH_TIMEOUT)
    if result.status_code in (404, 410):
        raise NothingToEmbed(f"{url} answered {result.status_code}")
    if result.status_code != 200:
        raise net.FetchError(f"{url} answered {result.status_code}", url)
    return result


def _positive(value):
    try:
        number = int(float(value))
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 100_000 else None


def _store_thumbnail(embed, url):
    """Download a thumbnail and keep it here; False when it could not be had."""
    try:
        result = _fetch(url, conf.THUMBNAIL_MAX_BYTES)
        data, width, height = thumbnail(result.content)
    except (net.FetchError, NothingToEmbed, RefusedImage):
        return False
    root = Path(settings.MEDIA_ROOT) / "embeds"
    root.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(16)
    (root / key).mkdir()
    (root / key / "thumb.jpg").write_bytes(data)
    remove_thumbnail(embed)
    embed.thumbnail = f"embeds/{key}/thumb.jpg"
    embed.thumbnail_width, embed.thumbnail_height = width, height
    return True


def remove_thumbnail(embed):
    """Delete an embed's stored thumbnail (its folder) and forget it (the row is not saved)."""
    if embed.thumbnail:
        folder = Path(settings.MEDIA_ROOT) / Path(embed.thumbnail).parent
        if folder.parent.name == "embeds":
            shutil.rmtree(folder, ignore_errors=True)
        embed.thumbnail = ""


def _read(embed):
    """One discovery: fills ``embed`` (not saved) or raises."""
    page = _fetch(embed.url, conf.PAGE_MAX_BYTES)
    endpoint = oembed_endpoint(page.text, page.url)
    if not endpoint:
        raise NothingToEmbed("the page advertises no JSON oEmbed")
    answer = _fetch(endpoint, conf.OEMBED_MAX_BYTES)
    try:
        data = json.loads(answer.content)
    except (ValueError, RecursionError) as exc:
        raise NothingToEmbed(f"the oEmbed answer is not JSON ({exc})") from None
    if not isinstance(data, dict):
        raise NothingToEmbed("the oEmbed answer is not a JSON object")

    def text(name, length):
        value = data.get(name)
        return str(value).strip()[:length] if isinstance(value, (str, int, float)) else ""

    embed.kind = text("type", 10)
    embed.title = text("title", 500)
    embed.author_name = text("author_name", 300)
    embed.provider_name = text("provider_name", 200)
    provider_url = text("provider_url", 500)
    embed.provider_url = provider_url if urlsplit(provider_url).scheme in ("http", "https") else ""
    embed.iframe_src = ""
    if embed.kind in ("video", "rich"):
        html = data.get("html") if isinstance(data.get("html"), str) else ""
        embed.iframe_src = player_src(html, page.url, embed.url, endpoint)[:1000]
        embed.iframe_width = _positive(data.get("width"))
        embed.iframe_height = _positive(data.get("height"))
    image_url = text("thumbnail_url", 1000) or (text("url", 1000) if embed.kind == "photo" else "")
    if not embed.iframe_src and not embed.title and not image_url:
        raise NothingToEmbed("the oEmbed answer has no player, title or image Salon can show")
    if image_url and urlsplit(image_url).scheme in ("http", "https"):
        _store_thumbnail(embed, urljoin(endpoint, image_url))


def texts_showing(url):
    """(post ids, page ids) of the Markdown bodies that write ``url`` (to render again)."""
    query = Q(body__contains=url, body_format="markdown")
    return (
        list(Post.objects.filter(query).values_list("pk", flat=True)),
        list(Page.objects.filter(query).values_list("pk", flat=True)),
    )


def discover(embed_id):
    """One discovery attempt for one Embed row; returns an ``outbox.Outcome``."""
    embed = Embed.objects.filter(pk=embed_id).first()
    if embed is None or embed.state not in (Embed.State.PENDING, Embed.State.RETRY):
        return outbox.Outcome.skipped()
    embed.attempts += 1
    embed.fetched_at = timezone.now()
    try:
        _read(embed)
    except NothingToEmbed as exc:
        outcome = outbox.Outcome.give_up(exc, state=Embed.State.NONE)
    except (net.BlockedAddress, net.TooLarge) as exc:
        # Asking again would get the same answer.
        outcome = outbox.Outcome.give_up(exc.reason, state=Embed.State.FAILED)
    except net.FetchError as exc:
        outcome = BACKOFF.failed(
            embed.attempts,
            exc.reason,
            retry_state=Embed.State.RETRY,
            give_up_state=Embed.State.FAILED,
        )
    except Exception as exc:  # noqa: BLE001 - a page or answer nobody foresaw: noted, not retried
        logger.exception("embed discovery failed for %s", embed.url)
        outcome = outbox.Outcome.give_up(f"{type(exc).__name__}: {exc}", state=Embed.State.FAILED)
    else:
        outcome = outbox.Outcome.sent(state=Embed.State.FOUND)
    embed.state = outcome.state
    embed.error = outcome.error
    embed.next_attempt_at = outcome.retry_at
    embed.save()
    if outcome.is_sent:
        post_ids, page_ids = texts_showing(embed.url)
        rerender(post_ids, page_ids)
    return outcome


def note_lone_urls(urls):
    """Make an Embed row for each address not seen before; returns the ids of the rows due
    for an attempt (new ones, and failed ones whose next try has come)."""
    urls = [u for u in urls if len(u) <= 1000]
    known = set(Embed.objects.filter(url__in=urls).values_list("url", flat=True))
    Embed.objects.bulk_create([Embed(url=u) for u in urls if u not in known], ignore_conflicts=True)
    return list(Embed.objects.filter(url__in=urls).due().values_list("pk", flat=True))


def frame_origins():
    """The origins of the players of the embeds found (https only), which the CSP lets frames
    come from (registered with ``salon.core.csp`` in ``ready()``)."""
    origins = set()
    players = Embed.objects.filter(state=Embed.State.FOUND).exclude(iframe_src="")
    for src in players.values_list("iframe_src", flat=True).distinct():
        parts = urlsplit(src)
        if parts.scheme == "https" and parts.hostname:
            origins.add(f"https://{parts.netloc}")
    return origins
