from django import template

from salon import languages

register = template.Library()


@register.filter
def language_marker(code):
    """``"fr"|language_marker`` -> ``[fr]``"""
    return languages.marker(code)


@register.filter
def language_name(code):
    """A language named in the interface language, for a sentence; ``|capfirst`` for a label."""
    return languages.language_name(code)


@register.filter
def native_language_name(code):
    return languages.native_language_name(code)
