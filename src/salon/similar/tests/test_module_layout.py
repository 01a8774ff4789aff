"""The similar-posts app has no import circle and hides none: the receiver calls the tasks, the
tasks call the index, and the index knows nothing of tasks; every import is at the top of its
module, and no module of the app reaches 500 lines."""

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[1]
PACKAGE = "salon.similar"


def modules():
    for path in sorted(APP.rglob("*.py")):
        parts = path.relative_to(APP).with_suffix("").parts
        if "tests" in parts or "migrations" in parts:
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        yield ".".join((PACKAGE, *parts)), path


def app_imports(name, path, tree_node):
    """The modules of this app imported by the statements directly under ``tree_node``."""
    is_package = path.name == "__init__.py"
    found = set()
    for node in tree_node:
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            candidates = [target] + [f"{target}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        else:
            continue
        found |= {c for c in candidates if c.startswith(PACKAGE)}
    return found


def test_no_import_inside_a_function_reaches_the_app():
    """A function-local import of the app's own modules is how a circle hides (except in
    ``AppConfig.ready()``, where Django wants the receivers imported)."""
    hidden = []
    for name, path in modules():
        for function in ast.walk(ast.parse(path.read_text())):
            if name.endswith(".apps") and getattr(function, "name", "") == "ready":
                continue
            if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                body = [node for node in ast.walk(function) if node is not function]
                if app_imports(name, path, body):
                    hidden.append(f"{name}.{function.name}")
    assert hidden == []


def test_the_module_imports_form_no_circle():
    known = dict(modules())
    graph = {}
    for name, path in known.items():
        imported = app_imports(name, path, ast.parse(path.read_text()).body)
        graph[name] = {target for target in imported if target in known and target != name}
    # A package importing its own submodules is no circle.
    graph = {
        name: {t for t in targets if not t.startswith(name + ".")}
        for name, targets in graph.items()
    }
    state = {}

    def visit(name, trail):
        if state.get(name) == "done":
            return
        assert state.get(name) != "open", " -> ".join([*trail, name])
        state[name] = "open"
        for target in graph[name]:
            visit(target, [*trail, name])
        state[name] = "done"

    for name in graph:
        visit(name, [])
    index = [name for name in graph if name.startswith("salon.similar.index")]
    assert index and not any("salon.similar.tasks" in graph[name] for name in index)


def test_modules_stay_under_500_lines():
    long = [name for name, path in modules() if len(path.read_text().splitlines()) >= 500]
    assert long == []
