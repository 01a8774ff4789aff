"""`core` is the ground floor: every app may import it, and it imports no other Salon app."""

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[1]


def imported_modules(text):
    tree = ast.parse(text)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def test_core_imports_no_other_salon_app():
    sources = [path for path in CORE.rglob("*.py") if "tests" not in path.parts]
    assert len(sources) > 3
    outside = {
        f"{source.relative_to(CORE)}: {name}"
        for source in sources
        for name in imported_modules(source.read_text())
        if name.startswith("salon") and name != "salon" and not name.startswith("salon.core")
    }
    assert not outside, f"core imports other Salon apps: {sorted(outside)}"


def test_the_scan_sees_what_core_used_to_import():
    """The scan would have caught what core imported before it was split (so it can fail)."""
    names = set(imported_modules("from salon import languages\nimport salon.blog.models\n"))
    assert {"salon.languages", "salon.blog.models"} <= names
