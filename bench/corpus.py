"""Deterministic generator of a bilingual blog corpus for benchmarks.

    SALON_DATA_DIR=/tmp/bench .venv/bin/python bench/corpus.py --posts 2000

Creates N published posts (about two thirds French, one third English), each with a summary in
the other language, two to four tags out of a fixed set, and every 25th post in a series. The
same seed gives the same corpus. Import ``generate(n)`` from other bench scripts.
"""

import argparse
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "salon.settings")

WORDS = {
    "fr": """ville marche vélo pain levain cuisine jardin quartier voisin langue traduction écriture
    lecture blog réseau conversation commentaire numérique transformation organisation travail
    métier école enfant livre musique photographie voyage train montagne rivière saison hiver
    printemps été automne marché boulangerie bibliothèque atelier outil logiciel liberté
    communauté partage histoire mémoire carnet lettre ami famille collègue projet idée question
    réponse débat internet manifeste entreprise client service public politique climat énergie
    recette soupe fromage café thé matin soir nuit lumière couleur silence bruit rue place""".split(),
    "en": """city walking bicycle bread sourdough kitchen garden neighbourhood neighbour language
    translation writing reading blog network conversation comment digital transformation
    organisation work craft school child book music photography travel train mountain river
    season winter spring summer autumn market bakery library workshop tool software freedom
    community sharing history memory notebook letter friend family colleague project idea
    question answer debate internet manifesto company customer service public politics climate
    energy recipe soup cheese coffee tea morning evening night light colour silence noise street""".split(),
}
GLUE = {
    "fr": "le la les un une des du de et dans pour avec sur est sont nous je".split(),
    "en": "the a an of and in for with on is are we I it this that".split(),
}
TAGS = [
    "ville",
    "vélo",
    "pain",
    "langues",
    "écriture",
    "lecture",
    "numérique",
    "travail",
    "city",
    "bread",
    "writing",
    "reading",
    "digital",
    "work",
    "travel",
    "music",
]


def sentence(rng, language, length):
    words = [
        rng.choice(WORDS[language]) if rng.random() < 0.6 else rng.choice(GLUE[language])
        for _ in range(length)
    ]
    return " ".join(words).capitalize() + "."


def paragraph(rng, language):
    return " ".join(sentence(rng, language, rng.randint(8, 18)) for _ in range(rng.randint(3, 6)))


def generate(n, seed=42, batch=1000):
    """Create ``n`` posts; returns the time taken in seconds."""
    import django

    django.setup()
    from django.db import transaction
    from django.utils import timezone

    from salon.blog.models import Post, PostSummary, Series, Status, Tag
    from salon.blog.rendering import render_body

    rng = random.Random(seed)
    started = time.perf_counter()
    tags = {name: Tag.objects.get_or_create(name=name)[0] for name in TAGS}
    now = timezone.now()
    with transaction.atomic():
        series = [
            Series.objects.get_or_create(
                slug=f"bench-series-{i}", defaults={"title": f"Series {i}"}
            )[0]
            for i in range(max(1, n // 250))
        ]
        created = 0
        while created < n:
            posts, plans = [], []
            for i in range(created, min(created + batch, n)):
                language = "fr" if rng.random() < 0.66 else "en"
                other = "en" if language == "fr" else "fr"
                title = sentence(rng, language, rng.randint(3, 7)).rstrip(".")
                body = "\n\n".join(paragraph(rng, language) for _ in range(rng.randint(2, 5)))
                post = Post(
                    title=title,
                    slug=f"post-{i}",
                    language=language,
                    body=body,
                    body_html=render_body(body),
                    status=Status.PUBLISHED,
                    published_at=now - timedelta(hours=i * 7),
                )
                if i % 25 == 0:
                    post.series = series[(i // 25) % len(series)]
                    post.series_position = i // 25 // len(series) + 1
                posts.append(post)
                plans.append(
                    (
                        sentence(rng, other, rng.randint(8, 16)),
                        other,
                        rng.sample(TAGS, rng.randint(2, 4)),
                    )
                )
            Post.objects.bulk_create(posts)
            PostSummary.objects.bulk_create(
                PostSummary(post=post, language=other, text=text)
                for post, (text, other, _) in zip(posts, plans, strict=True)
            )
            Through = Post.tags.through
            Through.objects.bulk_create(
                Through(post_id=post.pk, tag_id=tags[name].pk)
                for post, (_, _, names) in zip(posts, plans, strict=True)
                for name in names
            )
            created += len(posts)
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    seconds = generate(args.posts, seed=args.seed)
    print(f"generated {args.posts} posts in {seconds:.1f} s")


if __name__ == "__main__":
    main()
