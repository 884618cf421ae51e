"""Run every benchmark: ``python -m benchmarks [name ...]``.

Every module ``benchmarks/<name>.py`` (other than ``__init__``, ``__main__``
and ``_common``) that defines a top-level ``main()`` runs in its own
subprocess, ``python -m benchmarks.<name>``, so each starts from a fresh
interpreter and database. Their output passes straight through: one JSON line
per figure, ``{"name": ..., "value": ..., "unit": ..., "goal": ...}``.
Progress and errors go to stderr. Exits non-zero when a benchmark fails,
after running the others.
"""

import ast
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SKIP = {"__init__", "__main__", "_common"}


def _has_main_guard(tree: ast.Module) -> bool:
    return any(isinstance(node, ast.If) and "__main__" in ast.unparse(node.test) for node in tree.body)


def discover() -> dict[str, bool]:
    """Benchmark name -> whether ``python -m`` alone runs it (has the __main__ guard)."""
    found = {}
    for path in sorted(HERE.glob("*.py")):
        if path.stem in SKIP:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        if any(isinstance(node, ast.FunctionDef) and node.name == "main" for node in tree.body):
            found[path.stem] = _has_main_guard(tree)
    return found


def run(name: str, has_guard: bool) -> int:
    if has_guard:
        command = [sys.executable, "-m", f"benchmarks.{name}"]
    else:
        command = [sys.executable, "-c", f"from benchmarks.{name} import main; main()"]
    print(f"benchmarks: running {name}", file=sys.stderr, flush=True)
    return subprocess.run(command, cwd=HERE.parent, check=False).returncode


def main(argv: list[str]) -> int:
    available = discover()
    wanted = argv or list(available)
    unknown = [name for name in wanted if name not in available]
    if unknown:
        print(f"benchmarks: unknown {', '.join(unknown)}; available: {', '.join(available)}", file=sys.stderr)
        return 2
    failed = [name for name in wanted if run(name, available[name]) != 0]
    if failed:
        print(f"benchmarks: failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
