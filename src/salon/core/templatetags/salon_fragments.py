"""``{% fragment "name" value… %}…{% endfragment %}``: a piece of a template rendered once and
shown again (``salon.core.fragments``) until what public pages show changes.

The key is the name, the values given (resolved in the context: a post's id and
``updated_at``, a flag…) and the interface language. What is inside must be the same for every
reader who gives the same values: never a CSRF token, the request's path, a signed-in user's
name or a form's values (``{% csrf_token %}`` inside a fragment is refused when the template is
compiled).
"""

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from salon.core import fragments

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, name, values, nodelist, origin):
        self.name, self.values, self.nodelist, self.template_path = name, values, nodelist, origin

    def render(self, context):
        key = (
            "tag",
            self.template_path,
            self.name,
            get_language(),
            *(str(value.resolve(context)) for value in self.values),
        )
        request = context.get("request")
        return mark_safe(fragments.fragment(request, key, lambda: self.nodelist.render(context)))


@register.tag
def fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError("{% fragment %} takes a quoted name, then values.")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    for node in nodelist.get_nodes_by_type(template.Node):
        if type(node).__name__ == "CsrfTokenNode":
            raise template.TemplateSyntaxError("{% csrf_token %} cannot be inside a fragment.")
    values = [parser.compile_filter(bit) for bit in bits[2:]]
    origin = str(getattr(parser.origin, "name", ""))
    return FragmentNode(bits[1][1:-1], values, nodelist, origin)
