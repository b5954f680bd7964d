"""The engine package's boundaries: pure numpy/scipy, and the reference scorer kept out
of production."""

import ast
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_engine_imports_without_django_and_without_its_reference_scorer():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    code = (
        "import sys, matching.engine, matching.explain, matching.storage\n"
        "print(sorted(m for m in sys.modules"
        " if m.split('.')[0] == 'django' or m == 'matching.engine.reference'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def _imported_modules(path: Path) -> set[str]:
    """Absolute names of the modules (and ``from`` names) a source file imports."""
    package = list(path.relative_to(ROOT).with_suffix("").parts)[:-1]
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def test_no_production_module_imports_the_reference_scorer():
    apps = [
        folder
        for folder in ROOT.iterdir()
        if folder.is_dir()
        and not folder.name.startswith((".", "_"))
        and folder.name not in {"tests", "bench", "node_modules", "venv"}
    ]
    sources = [path for app in apps for path in app.rglob("*.py")]
    assert ROOT / "matching/engine/scoring.py" in sources
    offenders = [
        str(path.relative_to(ROOT))
        for path in sources
        if "matching.engine.reference" in _imported_modules(path)
    ]
    assert offenders == []
