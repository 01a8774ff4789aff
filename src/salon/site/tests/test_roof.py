"""`site` is the roof: listed last in INSTALLED_APPS, and no app imports it (only the project's
own modules, ``salon/urls.py`` and the settings, name it)."""

import ast
from pathlib import Path

from django.conf import settings

SALON = Path(__file__).resolve().parents[2]


def imports_site(text):
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        if any(name == "salon.site" or name.startswith("salon.site.") for name in names):
            return True
    return False


def test_site_is_the_last_installed_app():
    assert settings.INSTALLED_APPS[-1] == "salon.site"


def test_no_app_imports_the_site_app():
    apps = [
        folder
        for folder in SALON.iterdir()
        if (folder / "apps.py").exists() and folder.name != "site"
    ]
    assert len(apps) > 5
    importing = [
        str(source.relative_to(SALON))
        for app in apps
        for source in app.rglob("*.py")
        if "tests" not in source.parts and imports_site(source.read_text())
    ]
    assert not importing, f"apps importing salon.site: {importing}"
    assert imports_site("from salon.site.views import favicon\n")
