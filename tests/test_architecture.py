"""The rules of the layers that import-linter and mypy cannot express alone: no package reaches into
another's private names, and every view is typed and limited to the methods it answers.

The other rules (dashboard above influence, no Django in the pure score model, the domain packages
layered, no cycles) are import-linter contracts in pyproject.toml, checked by `make lint`.

A package is one concept of the domain (`influence.scoring`, `influence.digests`, ...) or the web UI
(`dashboard`). A name starting with one underscore is private to the package that defines it: other
packages use its public functions instead, so it can change without them noticing.
"""

from __future__ import annotations

import ast
import inspect
import typing
from collections.abc import Callable, Iterator
from pathlib import Path

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import URLResolver, get_resolver

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


def url_views(patterns: list, prefix: str = "") -> Iterator[tuple[str, Callable[..., object]]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from url_views(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern.callback


def test_every_view_is_typed_and_limited_to_the_methods_it_answers():
    """Each function view of the project: `request: HttpRequest` in, an HttpResponseBase out, every
    argument typed, and wrapped by require_http_methods (require_GET, require_POST and require_safe
    are that decorator too). Class-based views are Django's own log-in and password views."""
    problems = []
    for route, callback in url_views(get_resolver().url_patterns):
        if not callback.__module__.startswith(CHECKED) or hasattr(callback, "view_class"):
            continue
        layers = [callback]
        while hasattr(layers[-1], "__wrapped__"):
            layers.append(layers[-1].__wrapped__)
        view = layers[-1]
        name = f"{view.__module__}.{view.__qualname__} ({route})"
        # functools.wraps copies the view's name onto each wrapper; its code keeps the decorator's.
        if not any(layer.__code__.co_qualname.startswith("require_http_methods.") for layer in layers):
            problems.append(f"{name} has no require_http_methods")
        hints = typing.get_type_hints(view)
        parameters = list(inspect.signature(view).parameters)
        if parameters[0] != "request" or hints.get("request") is not HttpRequest:
            problems.append(f"{name} does not take request: HttpRequest")
        if not (isinstance(hints.get("return"), type) and issubclass(hints["return"], HttpResponseBase)):
            problems.append(f"{name} does not return an HttpResponseBase")
        problems.extend(f"{name} leaves {p} untyped" for p in parameters if p not in hints)
    assert problems == []
