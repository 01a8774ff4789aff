from django import template

from salon import languages

register = template.Library()


@register.filter
def language_marker(code):
    """``"fr"|language_marker`` -> ``[fr]``"""
    return languages.marker(code)


@register.filter
def language_name(code):
    return languages.language_name(code)
