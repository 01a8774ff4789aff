import secrets

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from salon.blog.demo import load_demo
from salon.blog.models import Page, Post
from salon.conversations.demo import load_demo_conversations
from salon.site.staticfiles import collect


class Command(BaseCommand):
    help = (
        "Prepare a Salon site to run: apply migrations, load the demo blog into an empty "
        "database, and create an admin account (its password is printed once)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-demo", action="store_true", help="Do not load demo content.")
        parser.add_argument("--admin-username", default="admin")

    def handle(self, *args, no_demo=False, admin_username="admin", verbosity=1, **options):
        call_command("migrate", interactive=False, verbosity=max(verbosity - 1, 0))
        if collect():
            self.stdout.write("Collected the static files (hashed and compressed).")
        if not no_demo and not Post.objects.exists() and not Page.objects.exists():
            created = load_demo()
            responses = load_demo_conversations()
            self.stdout.write(f"Loaded the demo blog ({created} posts, {responses} responses).")

        User = get_user_model()
        with transaction.atomic():
            if User.objects.filter(is_superuser=True).exists():
                return
            password = secrets.token_urlsafe(12)
            User.objects.create_superuser(admin_username, email="", password=password)
        # Printed once: the password is stored only as a hash.
        self.stdout.write(
            self.style.SUCCESS(
                "\nAdmin account created (shown only this once, keep it safe):\n"
                f"  user:     {admin_username}\n"
                f"  password: {password}\n"
                "  sign in:  /admin/\n"
            )
        )
