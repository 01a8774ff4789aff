"""Every stored body rendered again through the allow-list (salon.blog.sanitising).

A migration rather than a command to remember: the upgrade that brings the allow-list in
cannot leave a body stored before it (an imported post with a live script) unsanitised. Only
``body_html`` is written and no event is sent (receivers must not run against a schema still
being migrated): the search index holds text only, and a page kept by the page cache expires
within SALON_PAGE_CACHE_SECONDS, blocked meanwhile by the CSP. ``salon render-bodies`` does the
same with the event, for later changes to the rules.
"""

from django.db import migrations


def render(apps, schema_editor):
    from salon.blog.rendering import render_again

    for name in ("Post", "Page"):
        render_again(apps.get_model("blog", name))


class Migration(migrations.Migration):
    dependencies = [("blog", "0004_post_visibility")]

    operations = [migrations.RunPython(render, migrations.RunPython.noop, elidable=True)]
