"""``salon similar rebuild`` and ``salon similar show POST``."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from salon.blog.models import Post
from salon.similar.index import Reporter, explain, rebuild


class RichReporter(Reporter):
    """A rich progress bar, one task per stage."""

    LABELS = {
        "analyse": "Analysing posts",
        "compare": "Comparing posts",
        "write": "Writing the index",
    }

    def __init__(self, progress):
        self.progress = progress
        self.current = None
        self.total = 0

    def stage(self, label, total):
        if self.current is not None:
            self.progress.update(self.current, completed=self.total)
        self.current = self.progress.add_task(self.LABELS.get(label, label), total=total)
        self.total = total

    def advance(self, amount=1):
        self.progress.advance(self.current, amount)


class Command(BaseCommand):
    help = "Recompute the similar-posts lists (rebuild) or explain one post's list (show)."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True)
        commands.add_parser("rebuild", help="Recompute every post's list, with a progress bar.")
        show = commands.add_parser("show", help="A post's list with the terms behind each score.")
        show.add_argument("post", help="The post's id or slug.")

    def handle(self, *args, action, **options):
        if action == "rebuild":
            return self.rebuild(options["verbosity"])
        return self.show(options["post"])

    def rebuild(self, verbosity):
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        console = Console(file=self.stdout._out, stderr=False)
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            disable=verbosity < 1 or not console.is_terminal,
        ) as progress:
            figures = rebuild(RichReporter(progress))
        if verbosity >= 1:
            self.stdout.write(
                _(
                    "Similar posts rebuilt: %(posts)d posts, %(links)d links, %(terms)d terms "
                    "in %(seconds).1f s."
                )
                % figures
            )

    def show(self, reference):
        posts = Post.objects.all()
        post = (
            posts.filter(pk=int(reference)).first()
            if reference.isdigit()
            else posts.filter(slug=reference).first()
        )
        if post is None:
            raise CommandError(_("No post with the id or slug “%(post)s”.") % {"post": reference})
        self.stdout.write(f"{post.title} [{post.language}]")
        rows = explain(post)
        if not rows:
            self.stdout.write(_("No similar posts stored for this post."))
        for similar, score, shared in rows:
            terms = ", ".join(f"{term} {weight:.3f}" for term, weight in shared[:8])
            self.stdout.write(f"  {score:.3f}  {similar.title} [{similar.language}]  ({terms})")
