"""The rule of the layers that import-linter cannot express: no package reaches into another's private names.

The other rules (dashboard above influence, no Django in the pure score model, the domain packages
layered, no cycles) are import-linter contracts in pyproject.toml, checked by `make lint`.

A package is one concept of the domain (`influence.scoring`, `influence.digests`, ...) or the web UI
(`dashboard`). A name starting with one underscore is private to the package that defines it: other
packages use its public functions instead, so it can change without them noticing.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECKED = ("influence", "dashboard")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def project_modules() -> dict[str, Path]:
    return {
        module_name(path): path
        for package in CHECKED
        for path in sorted((ROOT / package).rglob("*.py"))
        if "migrations" not in path.parts
    }


def owner(module: str) -> str:
    """The package a module belongs to: `influence.<concept>` in the domain, `dashboard` for the web UI."""
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "influence" and len(parts) > 1 else parts[0]


def is_private(dotted: str) -> bool:
    return any(part.startswith("_") and not part.endswith("__") for part in dotted.split("."))


def resolve(importer: str, is_package: bool, node: ast.ImportFrom) -> str:
    """The absolute module a `from ... import` reads from, relative imports included."""
    if not node.level:
        return node.module or ""
    base = importer.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def foreign_private_names(importer: str, source: str, modules: set[str], is_package: bool = False) -> Iterator[str]:
    """Every private name of another package that a module's source imports or reads from a module."""
    tree = ast.parse(source)
    bound: dict[str, str] = {}  # local name -> the project module it refers to

    def crosses(target: str) -> bool:
        return is_private(target) and owner(target) != owner(importer)

    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = resolve(importer, is_package, node)
            for alias in node.names:
                target = f"{module}.{alias.name}"
                if crosses(target):
                    yield f"{importer} imports {target} (line {node.lineno})"
                if target in modules:
                    bound[alias.asname or alias.name] = target
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if crosses(alias.name):
                    yield f"{importer} imports {alias.name} (line {node.lineno})"
                if alias.asname:
                    bound[alias.asname] = alias.name
                else:
                    top = alias.name.split(".")[0]
                    bound[top] = top

    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.endswith("__"):
            module = dotted_module(node.value, bound, modules)
            if module is not None and crosses(f"{module}.{node.attr}"):
                yield f"{importer} reads {module}.{node.attr} (line {node.lineno})"


def dotted_module(node: ast.expr, bound: dict[str, str], modules: set[str]) -> str | None:
    """The project module an expression such as `scoring` or `influence.scoring` names, if it names one."""
    if isinstance(node, ast.Name):
        module = bound.get(node.id)
    elif isinstance(node, ast.Attribute):
        parent = dotted_module(node.value, bound, modules)
        module = f"{parent}.{node.attr}" if parent is not None else None
    else:
        return None
    return module if module in modules else None


def test_no_package_imports_another_packages_private_names():
    modules = project_modules()
    names = set(modules)
    found = [
        violation
        for name, path in modules.items()
        for violation in foreign_private_names(name, path.read_text(), names, path.name == "__init__.py")
    ]
    assert found == []


def test_the_check_sees_a_private_name_taken_from_another_package():
    modules = {"influence", "influence.scoring", "influence.scoring.model", "influence.digests.content", "dashboard"}
    source = (
        "from influence.scoring.model import _points, Score\n"
        "from influence import scoring\n"
        "import influence.scoring.model as model\n"
        "scoring._summary()\n"
        "model._decay(1)\n"
        "Score._replace()\n"
    )
    assert list(foreign_private_names("influence.digests.content", source, modules)) == [
        "influence.digests.content imports influence.scoring.model._points (line 1)",
        "influence.digests.content reads influence.scoring._summary (line 4)",
        "influence.digests.content reads influence.scoring.model._decay (line 5)",
    ]
    # Inside its own package a private name is fine, relative imports included.
    own = "from .model import _points\nfrom influence.scoring import model\nmodel._decay(1)\n"
    assert list(foreign_private_names("influence.scoring.sweep", own, modules)) == []
    assert list(foreign_private_names("dashboard.views.subjects", "from ..forms import _x\n", modules)) == []
    assert list(foreign_private_names("dashboard.views", "from influence.core.rows import _x\n", modules, True)) == [
        "dashboard.views imports influence.core.rows._x (line 1)"
    ]
