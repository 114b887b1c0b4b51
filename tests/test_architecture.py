"""The layout rules: the core never imports streamlit, and pages leave files and SQL to the core."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORE = sorted((ROOT / "directory").rglob("*.py"))
PAGES = sorted((ROOT / "pages").glob("*.py")) + [ROOT / "app.py"]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", CORE, ids=lambda p: str(p.relative_to(ROOT)))
def test_core_never_imports_streamlit(path):
    """No module of directory/ imports streamlit or its components."""
    assert not imported_modules(path) & {"streamlit", "streamlit_folium", "components"}


@pytest.mark.parametrize("path", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_pages_open_no_files_and_run_no_sql(path):
    """Pages call the core; they neither open files nor talk to SQLite themselves."""
    text = path.read_text(encoding="utf-8")
    assert "sqlite3" not in imported_modules(path)
    for needle in ("open(", ".read_text(", ".read_bytes(", ".write_text(", ".execute("):
        assert needle not in text, f"{path.name} uses {needle}"


@pytest.mark.parametrize("path", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_pages_make_fragments_that_speak_the_screen_language(path):
    """A fragment's own rerun runs no app.py: pages use components.shell.fragment, which sets the screen
    language first, never `st.fragment` itself."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bare = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr == "fragment" and getattr(node.value, "id", "") == "st"
    ]
    assert not bare, f"{path.name} uses st.fragment at line(s) {bare}"
