"""``claude_client/__init__.py`` writes its public names three times: ``__all__``, the
``TYPE_CHECKING`` imports (what type checkers and editors see) and ``_HOMES`` (what is imported
on first use). Nothing at run time reads the ``TYPE_CHECKING`` block, so only this test keeps
the three in step: a name added to one list and forgotten in another fails here."""

from __future__ import annotations

import ast
from pathlib import Path

import claude_client

#: The one public name that is no class or function of a home module.
_NOT_HOMED = {"__version__"}


def _init_tree() -> ast.Module:
    return ast.parse(Path(claude_client.__file__).read_text(encoding="utf-8"))


def _type_checking_imports(tree: ast.Module) -> dict[str, str]:
    """``{name: module}`` of every ``from module import name`` under ``if TYPE_CHECKING:``."""
    blocks = [
        node
        for node in tree.body
        if isinstance(node, ast.If)
        and isinstance(node.test, ast.Name)
        and node.test.id == "TYPE_CHECKING"
    ]
    assert len(blocks) == 1, "expected one `if TYPE_CHECKING:` block in __init__.py"
    imports: dict[str, str] = {}
    for statement in blocks[0].body:
        assert isinstance(statement, ast.ImportFrom), ast.unparse(statement)
        for alias in statement.names:
            name = alias.asname or alias.name
            assert name not in imports, f"{name} is imported twice under TYPE_CHECKING"
            imports[name] = str(statement.module)
    return imports


def _literal(tree: ast.Module, target: str) -> object:
    """The literal value assigned to ``target`` at the module's top level."""
    for node in tree.body:
        if isinstance(node, ast.Assign):
            names = [t.id for t in node.targets if isinstance(t, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names = [node.target.id]
        else:
            continue
        if target in names and node.value is not None:
            return ast.literal_eval(node.value)
    raise AssertionError(f"no top-level {target} = ... in __init__.py")


def test_all_lists_each_name_once() -> None:
    names = _literal(_init_tree(), "__all__")
    assert isinstance(names, list)
    assert len(names) == len(set(names))
    assert names == claude_client.__all__


def test_the_type_checking_imports_name_what_all_exports() -> None:
    tree = _init_tree()
    exported = set(claude_client.__all__) - _NOT_HOMED
    assert set(_type_checking_imports(tree)) == exported


def test_homes_name_what_all_exports() -> None:
    homes = _literal(_init_tree(), "_HOMES")
    assert isinstance(homes, dict)
    assert set(homes) == set(claude_client.__all__) - _NOT_HOMED


def test_each_type_checking_import_comes_from_the_home_the_name_is_loaded_from() -> None:
    tree = _init_tree()
    homes = _literal(tree, "_HOMES")
    assert isinstance(homes, dict)
    assert _type_checking_imports(tree) == homes
