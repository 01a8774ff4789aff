"""Links other apps add to the author bar (the conversations desk…), from their ``ready()``:
``add_link("conversations:desk", _("Conversations"))``."""

links = []


def add_link(url_name, label):
    """Show a link to ``url_name`` (a URL name without arguments) in the author bar."""
    if (url_name, label) not in links:
        links.append((url_name, label))
