from django.contrib.sitemaps import Sitemap

from .models import Page, Post


class PostSitemap(Sitemap):
    changefreq = "monthly"
    limit = 5000

    def items(self):
        # Password-protected posts are public addresses too; their body stays hidden.
        return (
            Post.objects.listed()
            .only("slug", "published_at", "updated_at")
            .order_by("-published_at")
        )

    def lastmod(self, post):
        return post.updated_at


class PageSitemap(Sitemap):
    changefreq = "yearly"

    def items(self):
        return Page.objects.published().only("slug", "updated_at")

    def lastmod(self, page):
        return page.updated_at


SITEMAPS = {"posts": PostSitemap, "pages": PageSitemap}
