"""Layout rules, checked on the source: no module imports a views module, except a URLconf.

Checks shared by views (who may see or do what) live in each app's ``access.py``;
other shared code in selectors, tables or small modules of its own. A views
module is one whose last name contains ``views`` (``onboarding.views``,
``eed.proofs.views``), in one of the project's packages; ``django.contrib.auth.views``
and the like are not ours and are not counted.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("onboarding", "eed", "config")


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_views_module(name: str) -> bool:
    return name.split(".")[0] in PACKAGES and "views" in name.split(".")[-1]


def imported_modules(source: str, module: str, *, is_package: bool = False) -> set[str]:
    """Every module name an import in ``source`` may bring in (``from a import b`` counts ``a`` and ``a.b``)."""
    package = module if is_package else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
                base = ".".join(part for part in [*base, node.module or ""] if part)
            else:
                base = node.module
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def views_imports(root: Path = ROOT) -> list[str]:
    """``file: module`` for each import of a views module outside a URLconf, under the project's packages."""
    offences = []
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            if path.name == "urls.py":
                continue
            module = _module_name(path, root)
            source = path.read_text(encoding="utf-8")
            for name in sorted(imported_modules(source, module, is_package=path.name == "__init__.py")):
                if _is_views_module(name):
                    offences.append(f"{path.relative_to(root)}: {name}")
    return offences


def test_no_module_but_a_urlconf_imports_a_views_module():
    assert views_imports() == [], "import shared checks from access.py (or selectors, tables), not from views"


@pytest.mark.parametrize(
    ("source", "module", "expected"),
    [
        ("from onboarding.views import hr_required", "eed.proofs.views", True),
        ("from eed.ceremonies.views import get_ceremony_for_user", "eed.proofs.views", True),
        ("from onboarding import views", "eed.planner.plan", True),
        ("import eed.ceremonies.link_views", "onboarding.services", True),
        ("from . import declaration_views", "onboarding.services", True),
        ("from .views import x", "eed.calendar.views", True),
        ("from ..views import x", "onboarding.management.commands", True),
        ("from django.contrib.auth.views import redirect_to_login", "onboarding.middleware", False),
        ("from django.views.decorators.http import require_POST", "onboarding.views", False),
        ("from onboarding.access import hr_required", "eed.ceremonies.views", False),
        ("from onboarding import access, selectors", "eed.ceremonies.views", False),
    ],
)
def test_the_rule_tells_views_modules_apart(source, module, expected):
    assert any(_is_views_module(name) for name in imported_modules(source, module)) is expected
