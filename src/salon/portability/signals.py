"""Events of the portability app.

``site_imported``: sent once after an import is committed (never for a dry run), because the
importer writes rows in bulk and ``post_save`` does not fire for them. Apps that index or cache
posts (search, similar posts, the page cache) connect to it in their ``AppConfig.ready()``.
Arguments:

- ``sender``: the ``ImportedItem`` model;
- ``source_site``: the imported blog's key (its address without scheme);
- ``post_ids``, ``page_ids``: the ids of every post and page the import created or updated.
"""

from django.dispatch import Signal

site_imported = Signal()
