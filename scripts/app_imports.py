"""Print the app-level import graph: which app imports which, how many imports stand
inside functions, and the pairs of apps that import each other (there should be none:
the import contract in pyproject.toml forbids them).

    python scripts/app_imports.py            # summary
    python scripts/app_imports.py --inside   # every cross-app import inside a function
"""

import ast
import sys
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def apps() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return config["tool"]["importlinter"]["root_packages"]


def cross_app_imports(names: list[str]):
    """(importing app, imported app, path:line, inside a function?) for each import."""
    for app in names:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(), str(path))
            functions = [
                node
                for node in ast.walk(tree)
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            ]
            nested = {id(sub) for f in functions for sub in ast.walk(f)}
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    modules = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    modules = [node.module]
                else:
                    continue
                for module in modules:
                    target = module.split(".")[0]
                    if target in names and target != app:
                        where = f"{path.relative_to(ROOT)}:{node.lineno}"
                        yield app, target, where, id(node) in nested


def main() -> None:
    found = list(cross_app_imports(apps()))
    edges = Counter((a, b) for a, b, _where, _inside in found)
    two_way = sorted({tuple(sorted(pair)) for pair in edges if pair[::-1] in edges})
    inside = [(a, b, where) for a, b, where, is_inside in found if is_inside]
    print(f"app pairs that import each other: {len(two_way)}")
    for a, b in two_way:
        print(f"  {a} <-> {b} ({edges[(a, b)]} / {edges[(b, a)]})")
    print(f"cross-app imports inside functions: {len(inside)}")
    if "--inside" in sys.argv:
        for a, b, where in inside:
            print(f"  {where}: {a} -> {b}")


if __name__ == "__main__":
    main()
