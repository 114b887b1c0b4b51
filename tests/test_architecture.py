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
        if isinstance(node, ast.Attribute)
        and node.attr == "fragment"
        and getattr(node.value, "id", "") == "st"
    ]
    assert not bare, f"{path.name} uses st.fragment at line(s) {bare}"


MAX_LINES = 600  # STYLE.md: modules are nouns, 400–600 lines at most
# Modules allowed past the limit, each with the one table that may make it long and why. Lines of that
# table do not count; the rest of the module keeps to the limit.
LONG_TABLES = {
    "directory/words.py": (
        "ENGLISH",
        "the table of every English sentence (the source of the translations), which every change appends to",
    ),
}


def module_lines(text: str, name: str) -> int:
    """The lines of module `name` (as "directory/x.py"), less those of its listed table (see LONG_TABLES)."""
    total = len(text.splitlines())
    table = LONG_TABLES.get(name)
    if table is None:
        return total
    for node in ast.parse(text).body:
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        if any(isinstance(t, ast.Name) and t.id == table[0] for t in targets):
            return total - (node.end_lineno - node.lineno + 1)
    raise AssertionError(f"{name} has no table {table[0]}: update LONG_TABLES")


@pytest.mark.parametrize("path", CORE, ids=lambda p: str(p.relative_to(ROOT)))
def test_core_modules_keep_within_600_lines(path):
    """A module of directory/ has at most 600 lines (a listed long table aside): split a longer one along a
    seam into noun-named modules, re-exporting what others import."""
    name = str(path.relative_to(ROOT))
    lines = module_lines(path.read_text(encoding="utf-8"), name)
    assert lines <= MAX_LINES, f"{name} has {lines} lines; split it (the limit is {MAX_LINES})"


@pytest.mark.parametrize("name", sorted(LONG_TABLES))
def test_every_listed_long_module_still_needs_its_exception(name):
    """An exception is only listed while the module is over the limit in full."""
    path = ROOT / name
    assert path.is_file(), f"{name} is gone: remove it from LONG_TABLES"
    assert len(path.read_text(encoding="utf-8").splitlines()) > MAX_LINES, f"{name} fits now: remove it"


def test_the_line_rule_counts_everything_but_a_listed_table():
    """601 lines are too many; a listed table's lines do not count, but only in the module it is listed for."""
    assert module_lines("x = 1\n" * (MAX_LINES + 1), "directory/new.py") == MAX_LINES + 1
    table = "ENGLISH = {\n" + '    "k": "v",\n' * 700 + "}\n"
    module = '"""Words."""\n' + table + "def t():\n    return 1\n"
    assert module_lines(module, "directory/words.py") == 3
    assert module_lines(module, "directory/other.py") == 705
    with pytest.raises(AssertionError, match="no table ENGLISH"):
        module_lines("x = 1\n", "directory/words.py")
