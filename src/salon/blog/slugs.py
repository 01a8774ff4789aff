from django.utils.text import slugify


def slug_from_title(title, max_length=200):
    """A URL slug with accents folded: "Été à Montréal" -> "ete-a-montreal"."""
    return slugify(title or "", allow_unicode=False)[:max_length].strip("-")


UNTITLED = "untitled"


def slug_candidates(base):
    """The slugs tried in turn for a text whose slug is taken: base, base-2, base-3…"""
    yield base
    n = 2
    while True:
        yield f"{base}-{n}"
        n += 1


def unique_slug(model, title, instance_pk=None, field="slug", max_length=200, **scope):
    base = slug_from_title(title, max_length=max_length - 4) or UNTITLED
    queryset = model._default_manager.filter(**scope)
    if instance_pk is not None:
        queryset = queryset.exclude(pk=instance_pk)
    for candidate in slug_candidates(base):
        if not queryset.filter(**{field: candidate}).exists():
            return candidate
