"""Demo content for a fresh Salon: a small bilingual blog that shows every feature.

Written for Salon (the blogger, her city and her columns are made up; the pictures are drawn by
``demo_images``). `salon bootstrap` loads it into an empty database; `salon load-demo` does so on
request.
"""

from datetime import timedelta

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from . import demo_images
from .models import Page, PageSummary, Post, PostSummary, Series, Status, Tag

SERIES = {
    "title": "#back2blog, dix jours pour revenir",
    "slug": "back2blog",
    "description": "Ten posts in ten days to get back into the habit of writing here. "
    "Dix billets en dix jours pour reprendre l'habitude d'écrire ici.",
    "planned_length": 10,
}

# (days ago, fields, summaries {language: text}, tags)
POSTS = [
    {
        "days_ago": 30,
        "key": "two-languages",
        "title": "Pourquoi j'écris dans deux langues",
        "language": "fr",
        "tags": ["écriture", "langues"],
        "summaries": {
            "en": "Why this blog mixes French and English, and how it helps "
            "readers of either language follow along."
        },
        "body": """Depuis des années, ce blog hésite entre le français et l'anglais. J'ai
longtemps cru qu'il fallait choisir. Je ne le crois plus.

Certaines idées me viennent en français, parce qu'elles sont nées dans une conversation au
marché ou dans une salle de classe. D'autres arrivent en anglais, parce que je les ai lues ou
discutées avec des amis qui écrivent dans cette langue.

## Ce que je promets aux lecteurs

- chaque billet dit dans quelle langue il est écrit ;
- chaque billet porte un court résumé dans l'autre langue ;
- quand un texte compte vraiment, je le traduis en entier.

> Une langue, c'est une fenêtre ; deux langues, c'est déjà une maison.

Si vous ne lisez que l'anglais, la page [English](/en/) vous montre tout le blog, avec les
billets en français résumés pour vous.""",
    },
    {
        "days_ago": 29,
        "key": "two-languages",
        "title": "Why I write in two languages",
        "language": "en",
        "tags": ["writing", "languages"],
        "summaries": {
            "fr": "Pourquoi ce blog mélange le français et l'anglais, et comment "
            "chacun peut le suivre dans sa langue."
        },
        "body": """For years this blog has wavered between French and English. I used to think
I had to pick one. I no longer do.

Some ideas come to me in French, because they were born in a conversation at the market or in a
classroom. Others arrive in English, because I read them or argued about them with friends who
write in that language.

## What I promise readers

- every post says which language it is written in;
- every post carries a short summary in the other language;
- when a text really matters, I translate all of it.

If you only read French, the [Français](/fr/) page shows you the whole blog, with the English
posts summarised for you.""",
    },
    {
        "days_ago": 12,
        "title": "Jour 1 : revenir au blog",
        "language": "fr",
        "series_position": 1,
        "tags": ["back2blog", "écriture"],
        "summaries": {
            "en": "Day one of ten: dusting off the blog and promising to write "
            "every day, imperfectly."
        },
        "body": """Le défi est simple : dix billets en dix jours. Pas des chefs-d'œuvre, des
billets. Le blog a pris la poussière pendant que j'écrivais ailleurs, dans des fils de
discussion qui ont disparu avec les plateformes qui les hébergeaient.

Ici, au moins, les textes restent. Ils ont une adresse, une date, une langue. On peut y répondre
et y revenir dans dix ans.

Rendez-vous demain.""",
    },
    {
        "days_ago": 11,
        "title": "Day 2: the small web is still there",
        "language": "en",
        "series_position": 2,
        "tags": ["back2blog", "small web"],
        "summaries": {
            "fr": "Jour 2 : les blogs personnels n'ont jamais disparu, il suffit de "
            "recommencer à les lire."
        },
        "body": """Yesterday I wondered whether anyone still reads blogs. Today I opened my old
feed reader and found that half of my friends never stopped writing. They were simply quieter
than the platforms.

Three things I noticed:

1. personal sites age well: a post from 2009 still loads, links and all;
2. comments are slower and kinder than replies on a timeline;
3. people answer each other *from their own blogs*, which makes a conversation you can follow.

Tomorrow: reading others, on purpose.""",
    },
    {
        "days_ago": 10,
        "title": "Jour 3 : lire les autres exprès",
        "language": "fr",
        "series_position": 3,
        "tags": ["back2blog", "lecture"],
        "summaries": {
            "en": "Day three: a blog is half writing and half reading; a short list "
            "of friends' blogs worth following."
        },
        "body": """Un blog, c'est la moitié de l'affaire. L'autre moitié, c'est lire ceux des
autres, et leur répondre. J'ai donc rouvert mes abonnements et je me suis fixé une règle :
un commentaire ou une réponse par jour, chez quelqu'un d'autre.

C'est étonnant comme une simple phrase, « je t'ai lu », change une journée.""",
    },
    {
        "days_ago": 20,
        "title": "La ville à pied",
        "language": "fr",
        "tags": ["ville", "marche"],
        "source_name": "Revue des mobilités douces",
        "source_url": "https://example.org/revue/2024/la-ville-a-pied",
        "canonical_to_source": True,
        "cover": (
            "city",
            "Des pâtés de maisons ocre vus d'en haut, traversés par un trajet à pied en escalier.",
        ),
        "summaries": {
            "en": "A column on walking the city: what you notice at four kilometres "
            "an hour that you miss at forty."
        },
        "body": """*Cette chronique a d'abord paru dans la Revue des mobilités douces ; je la
reprends ici avec l'accord de la rédaction.*

À quatre kilomètres à l'heure, la ville change de taille. Les rues s'allongent, les
boulangeries se multiplient, les façades se mettent à raconter leur histoire.

Marcher, c'est aussi accepter de se perdre un peu. On prend une rue parce qu'elle est en pente,
parce qu'il y a du soleil, parce qu'une odeur de pain chaud nous appelle.

Je propose une expérience : une fois par semaine, faites à pied un trajet que vous faites
d'habitude autrement. Notez ce que vous voyez.""",
    },
    {
        "days_ago": 6,
        "title": "Sourdough notes from a shared kitchen",
        "language": "en",
        "tags": ["bread", "kitchen"],
        "summaries": {
            "fr": "Carnet de levain : ce que j'apprends en faisant du pain dans une "
            "cuisine partagée."
        },
        "body": """Our building has a shared kitchen on the ground floor, and since spring it
has had a shared sourdough starter. Nobody owns it. Everybody feeds it.

| Day | Who fed it | Notes |
|-----|------------|-------|
| Monday | Amina | thick, smells of apples |
| Wednesday | me | too runny, more flour |
| Friday | Jonas | perfect, baked two loaves |

<figure>
<img src="{sourdough}" width="960" height="540"
  alt="A jar of starter full of bubbles, beside a round loaf, drawn in flat shapes.">
<figcaption>The jar and Friday's loaf. Image: {credit}, {licence}.</figcaption>
</figure>

The starter is a small lesson in commons: it survives because many people care a little,
not because one person cares a lot.""",
    },
    {
        "days_ago": 3,
        "title": "Le vélo en hiver",
        "language": "fr",
        "tags": ["ville", "vélo"],
        "cover": (
            "bicycle",
            "Un vélo dessiné de profil, la nuit, sous quatre réverbères, "
            "sur une chaussée mouillée.",
        ),
        "summaries": {},
        "body": """Il fait nuit à dix-sept heures, la chaussée brille, et pourtant le vélo
reste le moyen le plus rapide de traverser la ville. Quelques conseils appris à mes dépens :
des gants vraiment chauds, une lumière de plus que nécessaire, et de la patience aux
carrefours.""",
    },
    {
        "days_ago": -7,
        "title": "Jour 4 : écrire court",
        "language": "fr",
        "series_position": 4,
        "status": Status.SCHEDULED,
        "tags": ["back2blog"],
        "summaries": {"en": "Day four, scheduled: on the pleasure of short posts."},
        "body": "Ce billet est programmé : il apparaîtra tout seul le moment venu.",
    },
    {
        "days_ago": 0,
        "title": "Brouillon : notes sur la traduction",
        "language": "fr",
        "status": Status.DRAFT,
        "tags": ["langues"],
        "summaries": {},
        "body": "Un brouillon, visible seulement dans l'administration.",
    },
]

PAGES = [
    {
        "key": "about",
        "slug": "about",
        "title": "About",
        "language": "en",
        "summary": ("fr", "Qui écrit ici, dans quelles langues, et comment me joindre."),
        "body": """I'm Camille, and I write about cities, bread, bicycles and the languages I
live in. This is a demo blog made for Salon: edit or delete anything in the
[admin](/admin/).""",
    },
    {
        "key": "about",
        "slug": "a-propos",
        "title": "À propos",
        "language": "fr",
        "summary": ("en", "Who writes here, in which languages, and how to reach me."),
        "body": """Je m'appelle Camille et j'écris sur la ville, le pain, le vélo et les langues
dans lesquelles je vis. Ce blog de démonstration est fait pour Salon : modifiez ou supprimez ce
que vous voulez dans l'[administration](/admin/).""",
    },
]


@transaction.atomic
def load_demo():
    """Create the demo posts and pages; returns the number of posts created."""
    now = timezone.now().replace(second=0, microsecond=0)
    series = Series.objects.create(**SERIES)
    translation_keys = {}
    created = 0
    images = demo_images.demo_images()
    image_urls = {key: default_storage.url(name) for key, name in images.items()}
    for spec in POSTS:
        spec = dict(spec)
        if "cover" in spec:
            key, spec["cover_alt"] = spec.pop("cover")
            spec["cover_image"] = images[key]
            spec["cover_credit"] = demo_images.CREDIT
            spec["cover_licence"] = demo_images.LICENCE
            spec["cover_licence_url"] = demo_images.LICENCE_URL
        for key, url in image_urls.items():
            spec["body"] = spec["body"].replace(f"{{{key}}}", url)
        spec["body"] = (
            spec["body"]
            .replace("{credit}", demo_images.CREDIT)
            .replace(
                "{licence}",
                f'<a rel="license" href="{demo_images.LICENCE_URL}">{demo_images.LICENCE}</a>',
            )
        )
        tags = spec.pop("tags")
        summaries = spec.pop("summaries")
        key = spec.pop("key", None)
        days_ago = spec.pop("days_ago")
        spec.setdefault("status", Status.PUBLISHED)
        if "series_position" in spec:
            spec["series"] = series
        post = Post(published_at=now - timedelta(days=days_ago, hours=days_ago % 5), **spec)
        if key:
            post.translation_key = translation_keys.setdefault(key, post.translation_key)
        post.save()
        post.tags.set([Tag.objects.get_or_create(name=name)[0] for name in tags])
        for language, text in summaries.items():
            PostSummary.objects.create(post=post, language=language, text=text)
        created += 1
    for spec in PAGES:
        spec = dict(spec)
        key = spec.pop("key")
        summary_language, summary_text = spec.pop("summary")
        page = Page(status=Status.PUBLISHED, published_at=now - timedelta(days=60), **spec)
        page.translation_key = translation_keys.setdefault(key, page.translation_key)
        page.save()
        PageSummary.objects.create(page=page, language=summary_language, text=summary_text)
    return created
