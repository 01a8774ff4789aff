from django import template

register = template.Library()


@register.simple_tag
def summary_in(post, code):
    """``{% summary_in post "en" as summary %}``: the post's summary in a language, or None."""
    return post.summary_in(code)
