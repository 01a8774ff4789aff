"""Demo conversations for the demo blog (``salon.blog.demo``): readers answering in both
languages, a thread with the author's reply, a like received by Webmention, and a comment still
waiting in the moderation queue, so a fresh site shows what its conversations look like and the
admin has something to moderate.

Every text here is written for Salon's demo; the people and their sites are made up
(``.example`` addresses never resolve).
"""

from datetime import timedelta

from django.db import transaction

from salon.blog.models import Post
from salon.core import identity

from .models import Check, Kind, Origin, Response, State

# (post title, author, e-mail, website, text, hours after the post, replies to the n-th item)
COMMENTS = [
    (
        "Le vélo en hiver",
        "Camille Roussel",
        "camille@demo.example",
        "https://camille.demo.example/",
        "Merci pour le conseil des gants ! J'ajouterais des garde-boue : sans eux, on arrive au "
        "bureau avec une rayure de boue dans le dos.",
        5,
        None,
    ),
    (
        "Le vélo en hiver",
        None,
        None,
        None,
        "Bien vu, Camille. Les garde-boue auraient mérité leur propre paragraphe ; ce sera pour "
        "le billet sur le printemps.",
        7,
        0,
    ),
    (
        "Le vélo en hiver",
        "Jonas Berger",
        "jonas@demo.example",
        "",
        "I followed this one through its English summary. The same advice holds in Hamburg, "
        "plus one thing: carry a spare light, the first one always dies in January.",
        20,
        None,
    ),
    (
        "Sourdough notes from a shared kitchen",
        "Amina Diallo",
        "amina@demo.example",
        "",
        "Je suis l'Amina du tableau ! Le levain va très bien, il a même eu droit à une fête "
        "pour ses six mois.",
        9,
        None,
    ),
    (
        "Sourdough notes from a shared kitchen",
        "Jonas Berger",
        "jonas@demo.example",
        "",
        "Six months and still nobody owns it. That is the best part of the story.",
        12,
        3,
    ),
    (
        "Jour 3 : lire les autres exprès",
        "Léa Fontaine",
        "lea@demo.example",
        "https://lea.demo.example/",
        "Ta règle d'un commentaire par jour est contagieuse. Je commence lundi, et je te dirai "
        "ce que ça change.",
        30,
        None,
    ),
]

LIKE = (
    "Why I write in two languages",
    "Bruno Keller",
    "https://bruno.demo.example/",
    "https://bruno.demo.example/likes/deux-langues/",
)

HELD = (
    "La ville à pied",
    "Sam Okafor",
    "sam@demo.example",
    "Do you have a map of the walk? I would like to try it on my next visit.",
)


@transaction.atomic
def load_demo_conversations():
    """Add the demo conversations to the demo posts that exist; returns how many responses."""
    posts = {
        post.title: post
        for post in Post.objects.filter(title__in={c[0] for c in COMMENTS} | {LIKE[0], HELD[0]})
    }
    me = identity.author()
    author = (me.name, me.email, me.url)
    made = []
    for title, name, email, url, content, hours, parent in COMMENTS:
        post = posts.get(title)
        if post is None:
            made.append(None)
            continue
        by_author = name is None  # the author answers, as the desk's answers are stored
        if by_author:
            name, email, url = author
        made.append(
            Response.objects.create(
                post=post,
                parent=made[parent] if parent is not None else None,
                kind=Kind.COMMENT,
                origin=Origin.AUTHOR if by_author else Origin.COMMENT_FORM,
                by_author=by_author,
                author_photo=me.photo if by_author else "",
                checks=Check.AUTHOR if by_author else Check.NEW_AUTHOR,
                state=State.APPROVED,
                author_name=name,
                author_email=email,
                author_url=url,
                content=content,
                created_at=post.published_at + timedelta(hours=hours),
            )
        )
    title, name, url, source = LIKE
    if title in posts:
        made.append(
            Response.objects.create(
                post=posts[title],
                kind=Kind.LIKE,
                origin=Origin.WEBMENTION,
                state=State.APPROVED,
                checks=Check.NEW_DOMAIN,
                author_name=name,
                author_url=url,
                source_url=source,
                created_at=posts[title].published_at + timedelta(days=1),
            )
        )
    title, name, email, content = HELD
    if title in posts:
        made.append(
            Response.objects.create(
                post=posts[title],
                kind=Kind.COMMENT,
                origin=Origin.COMMENT_FORM,
                state=State.PENDING,
                checks=Check.NEW_AUTHOR,
                author_name=name,
                author_email=email,
                content=content,
                created_at=posts[title].published_at + timedelta(days=2),
            )
        )
    return sum(1 for response in made if response is not None)
