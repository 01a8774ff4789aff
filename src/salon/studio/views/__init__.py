"""The writing page's views: ``editor`` (the page, its saves and preview), ``revisions`` and
``previews`` (secret preview links). Every page is the signed-in author's alone and private."""
