from django.core.management.base import BaseCommand, CommandError

from salon.blog.demo import load_demo
from salon.blog.models import Post, Series
from salon.conversations.demo import load_demo_conversations


class Command(BaseCommand):
    help = (
        "Load Salon's demo blog (bilingual posts, a series, a republished column, pages, "
        "conversations in both languages)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Load even if the site already has posts."
        )

    def handle(self, *args, force=False, **options):
        if Post.objects.exists() and not force:
            raise CommandError("The site already has posts; use --force to add the demo anyway.")
        if Series.objects.filter(slug="back2blog").exists():
            raise CommandError("The demo is already loaded (series “back2blog” exists).")
        created = load_demo()
        responses = load_demo_conversations()
        self.stdout.write(
            self.style.SUCCESS(f"Loaded {created} demo posts and {responses} responses.")
        )
