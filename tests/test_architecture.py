"""The package layout shows the pipeline: imports run one way, from the command line down.

Each subpackage may import only the subpackages below it; the top-level
modules are the foundation every layer may use, and import no subpackage. No
module reads a file through its own source location.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from leaflet.resources import package_folder

PACKAGE = package_folder()
#: Bottom to top. Each layer may import the layers listed for it, and nothing else.
ALLOWED = {
    "record": set(),
    "translation": {"record"},
    "taper": {"record"},
    "render": {"record", "translation", "taper"},
    "verify": {"record"},
    "publish": {"record", "translation", "taper", "render", "verify"},
    "serve": {"record", "translation", "taper", "render", "verify", "publish"},
    "cli": {"record", "translation", "taper", "render", "verify", "publish", "serve"},
}
MODULES = sorted(PACKAGE.rglob("*.py"))


def _layer(path: Path) -> str | None:
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 else None


def _imported_layers(source: str, here: tuple[str, ...]) -> list[tuple[int, str]]:
    """The leaflet subpackages a module at ``here`` imports, with the line of each import."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(here[: len(here) - node.level])
                target = [*base, *(node.module.split(".") if node.module else [])]
            elif node.module and node.module.split(".")[0] == "leaflet":
                target = node.module.split(".")[1:]
            else:
                continue
            if target:
                found.append((node.lineno, target[0]))
            else:  # from leaflet import cli / from .. import record
                found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "leaflet" and len(parts) > 1:
                    found.append((node.lineno, parts[1]))
    return [(line, layer) for line, layer in found if layer in ALLOWED]


def _wrong_imports(source: str, here: tuple[str, ...]) -> list[str]:
    layer = here[0] if len(here) > 1 else None
    if layer is None:
        allowed = {"cli"} if here == ("__main__",) else set()
    else:
        allowed = ALLOWED[layer] | {layer}
    return [
        f"line {line}: imports leaflet.{target}"
        for line, target in _imported_layers(source, here)
        if target not in allowed
    ]


def test_every_module_belongs_to_a_layer_or_the_foundation() -> None:
    top_level = {p.stem for p in MODULES if _layer(p) is None}
    assert top_level == {"__init__", "__main__", "project", "resources"}
    assert {_layer(p) for p in MODULES} - {None} == set(ALLOWED)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_imports_run_one_way(path: Path) -> None:
    here = path.relative_to(PACKAGE).with_suffix("").parts
    wrong = _wrong_imports(path.read_text(encoding="utf-8"), here)
    assert not wrong, f"{'/'.join(here)}: " + "; ".join(wrong)


@pytest.mark.parametrize(
    ("source", "here", "expected"),
    [
        (
            "from ..render.context import x\n",
            ("record", "model"),
            ["line 1: imports leaflet.render"],
        ),
        ("from leaflet.cli import main\n", ("publish", "build"), ["line 1: imports leaflet.cli"]),
        (
            "import leaflet.publish.writer\n",
            ("translation", "x"),
            ["line 1: imports leaflet.publish"],
        ),
        ("from .. import verify\n", ("taper", "x"), ["line 1: imports leaflet.verify"]),
        ("from .record import x\n", ("resources",), ["line 1: imports leaflet.record"]),
        ("from ..record.model import x\nfrom .context import y\n", ("render", "x"), []),
    ],
)
def test_the_rule_catches_an_import_against_the_flow(
    source: str, here: tuple[str, ...], expected: list[str]
) -> None:
    assert _wrong_imports(source, here) == expected


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_no_module_finds_files_next_to_its_own_source(path: Path) -> None:
    """Bundled files come through ``leaflet.resources`` (importlib.resources), not ``__file__``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    assert "__file__" not in names
    attributes = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    assert "__file__" not in attributes
