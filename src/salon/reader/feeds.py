"""A challenge's combined river as RSS 2.0 and Atom (Django's syndication framework).

Each item carries its own language, since participants write in different ones: ``xml:lang``
on Atom entries, ``dc:language`` on RSS items.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _

from .challenges import standings
from .models import Challenge

MAX_ITEMS = 50


class LanguageRssFeed(Rss201rev2Feed):
    def rss_attributes(self):
        attributes = super().rss_attributes()
        attributes["xmlns:dc"] = "http://purl.org/dc/elements/1.1/"
        return attributes

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("language"):
            handler.addQuickElement("dc:language", item["language"])


class LanguageAtomFeed(Atom1Feed):
    def item_attributes(self, item):
        attributes = super().item_attributes(item)
        # An unknown language is said as such (xml:lang=""), not inherited from the feed.
        attributes["xml:lang"] = item.get("language") or ""
        return attributes


class ChallengeRssFeed(Feed):
    feed_type = LanguageRssFeed

    def get_object(self, request, slug):
        return get_object_or_404(Challenge, slug=slug)

    def title(self, challenge):
        return _("%(challenge)s: every participant's posts") % {"challenge": challenge.name}

    def link(self, challenge):
        return challenge.get_absolute_url()

    def description(self, challenge):
        return challenge.description or _("Posts tagged %(tag)s from %(start)s to %(end)s.") % {
            "tag": challenge.tag,
            "start": challenge.starts_on,
            "end": challenge.ends_on,
        }

    def items(self, challenge):
        return standings(challenge)[1][:MAX_ITEMS]

    def item_title(self, post):
        return post.title or _("(untitled)")

    def item_link(self, post):
        return post.url or settings.SITE_URL + "/"

    def item_description(self, post):
        return post.summary

    def item_guid(self, post):
        return post.guid

    def item_guid_is_permalink(self, post):
        return post.guid == post.url

    def item_pubdate(self, post):
        return post.date

    def item_author_name(self, post):
        return post.author_name

    def item_author_link(self, post):
        return post.author_url

    def item_extra_kwargs(self, post):
        return {"language": post.language}


class ChallengeAtomFeed(ChallengeRssFeed):
    feed_type = LanguageAtomFeed
    subtitle = ChallengeRssFeed.description

    def item_updateddate(self, post):
        return post.date
