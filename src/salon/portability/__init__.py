"""Moving in and out: WordPress import, WXR and JSON exports, backups (docs/design/portability.md).

Public functions (the management commands are thin wrappers around them):

- ``writer.import_wxr(path, dry_run=False, recover=False, default_language=None)`` -> report;
- ``export_wxr.export_wxr(out)``, ``export_json.export_json(out)``: write to a text stream;
- ``backup.backup(directory)``, ``backup.restore(directory)``;
- an import notes what it wrote for the blog's ``posts_changed`` event (``salon.blog.signals``),
  sent once after its commit.
"""
