"""factory_boy factories for blog content; other apps' tests may use them too."""

from datetime import timedelta

import factory
from django.utils import timezone

from salon.blog.models import Page, Post, PostSummary, Series, Status, Tag


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"tag {n}")


class SeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Series

    title = factory.Sequence(lambda n: f"Series {n}")


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Billet numéro {n}")
    language = "fr"
    body = "Un paragraphe en *Markdown*."
    status = Status.PUBLISHED
    published_at = factory.Sequence(lambda n: timezone.now() - timedelta(days=n + 1))

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(
                [TagFactory(name=name) if isinstance(name, str) else name for name in extracted]
            )

    @factory.post_generation
    def summaries(self, create, extracted, **kwargs):
        if create and extracted:
            for language, text in extracted.items():
                PostSummary.objects.create(post=self, language=language, text=text)


class PageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Page

    title = factory.Sequence(lambda n: f"Page {n}")
    language = "en"
    body = "About me."
    status = Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
