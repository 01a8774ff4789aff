from django.utils.text import slugify


def slug_from_title(title, max_length=200):
    """A URL slug with accents folded: "Été à Montréal" -> "ete-a-montreal"."""
    return slugify(title or "", allow_unicode=False)[:max_length].strip("-")


def unique_slug(model, title, instance_pk=None, field="slug", max_length=200, **scope):
    base = slug_from_title(title, max_length=max_length - 4) or "untitled"
    candidate, n = base, 2
    queryset = model._default_manager.filter(**scope)
    if instance_pk is not None:
        queryset = queryset.exclude(pk=instance_pk)
    while queryset.filter(**{field: candidate}).exists():
        candidate = f"{base}-{n}"
        n += 1
    return candidate
