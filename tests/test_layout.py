"""Layout rules, checked on the source.

- No module imports a views module, except a URLconf.
- Imports run one way: ``core`` (plumbing) imports no app; ``api`` builds on both apps and none imports it;
  ``eed`` builds on ``onboarding``; onboarding
  imports eed only where its domain needs it (a newcomer's status and page show their appointments), at the
  top of those modules, never inside a function where a cycle would hide.
- No module is over 400 lines; an app's top level shows its entities at a glance.

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
PACKAGES = ("onboarding", "eed", "api", "config", "core")


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


# The modules of onboarding allowed to import eed, and why.
ONBOARDING_READS_EED = {
    "onboarding/newcomers/selectors.py": "a newcomer's status follows from their current appointment",
    "onboarding/newcomers/views.py": "a newcomer's page shows their appointment history",
}
MAX_LINES = 400
MAX_TOP_LEVEL_ENTRIES = 15


def _project_imports(tree: ast.AST):
    """(node, module name, at module level) for each absolute import of the project's packages."""
    top_level = {id(node) for node in getattr(tree, "body", [])}
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            names = [node.module]
        for name in names:
            if name.split(".")[0] in PACKAGES:
                yield node, name, id(node) in top_level


def direction_offences(root: Path = ROOT) -> list[str]:
    offences = []
    for package in ("core", "onboarding", "eed"):
        for path in sorted((root / package).rglob("*.py")):
            relative = path.relative_to(root).as_posix()
            if "/migrations/" in relative:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node, name, top_level in _project_imports(tree):
                app = name.split(".")[0]
                if app == "api" and package != "api":
                    offences.append(f"{relative}:{node.lineno}: {package} imports {name}")
                elif package == "core" and app != "core":
                    offences.append(f"{relative}:{node.lineno}: core imports {name}")
                elif package == "onboarding" and app == "eed":
                    if relative not in ONBOARDING_READS_EED:
                        offences.append(f"{relative}:{node.lineno}: onboarding imports {name}")
                    elif not top_level:
                        offences.append(f"{relative}:{node.lineno}: import of {name} inside a function")
    return offences


def test_imports_run_one_way():
    assert direction_offences() == []


def test_the_direction_rule_finds_an_import_against_it(tmp_path):
    (tmp_path / "core").mkdir()
    (tmp_path / "core" / "clock.py").write_text("from onboarding.models import Newcomer\n")
    (tmp_path / "onboarding" / "newcomers").mkdir(parents=True)
    (tmp_path / "onboarding" / "mail.py").write_text("def f():\n    from eed.models import Ceremony\n")
    (tmp_path / "onboarding" / "newcomers" / "selectors.py").write_text(
        "from eed.models import Appointment\n\ndef f():\n    import eed.enums\n"
    )
    (tmp_path / "eed").mkdir()
    (tmp_path / "eed" / "hooks.py").write_text("from api.models import ApiClient\n")
    assert direction_offences(tmp_path) == [
        "core/clock.py:1: core imports onboarding.models",
        "onboarding/mail.py:2: onboarding imports eed.models",
        "onboarding/newcomers/selectors.py:4: import of eed.enums inside a function",
        "eed/hooks.py:1: eed imports api.models",
    ]


def _source_files():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def test_no_module_is_over_400_lines():
    long = {
        path.relative_to(ROOT).as_posix(): count
        for path in _source_files()
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


@pytest.mark.parametrize("app", ["onboarding", "eed", "api"])
def test_an_app_shows_its_entities_at_a_glance(app):
    entries = sorted(p.name for p in (ROOT / app).iterdir() if p.name != "__pycache__")
    assert len(entries) <= MAX_TOP_LEVEL_ENTRIES, entries
