from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from salon.blog.models import Page, Post
from salon.blog.rendering import render_again
from salon.blog.signals import mark_changed


class Command(BaseCommand):
    help = _(
        "Render the body of every post and page again (Markdown or imported HTML, through the "
        "allow-list of what a body may hold) and store it where it changed; search, similar "
        "posts and the kept pages follow. Run it after a change to the rendering rules; the "
        "upgrade that introduced the allow-list did it by itself (a data migration)."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            post_ids = render_again(Post)
            page_ids = render_again(Page)
            mark_changed(post_ids=post_ids, page_ids=page_ids)
        self.stdout.write(
            _("Rendered again: %(posts)s posts and %(pages)s pages changed.")
            % {"posts": len(post_ids), "pages": len(page_ids)}
        )
