"""Rules that have one home stay there: read from the source, so a second copy fails here
before it can disagree with the first.

- Zone scoping (which rows a user sees) is app/queries/scope.py's. Outside it, no module
  compares a user's zone with a row's (`obj.zone_id != current_user.zone_id`), nor works out
  "the user's zone if a zone role, else every zone" for itself; templates ask `sees_zone`.
- app/audit.py writes audit records and uses app/services/audit_chain.py to seal them;
  the chain module never imports the writer back, so imports go one way.
"""
import ast
import re
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app"
SCOPE_HOME = APP / "queries" / "scope.py"
USER_NAMES = {"current_user", "user"}


def _is_user(node) -> bool:
    """`current_user`, `user`, or the API's `_user()`."""
    return (isinstance(node, ast.Name) and node.id in USER_NAMES) or (
        isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_user")


def _users_zone(node) -> bool:
    """`<user>.zone_id`."""
    return isinstance(node, ast.Attribute) and node.attr == "zone_id" and _is_user(node.value)


def _mentions(node, predicate) -> bool:
    return any(predicate(n) for n in ast.walk(node))


def _is_zone_role_test(node) -> bool:
    return _mentions(node, lambda n: (isinstance(n, ast.Attribute) and n.attr == "is_zone_role")
                     or (isinstance(n, ast.Name) and n.id == "ZONE_ROLES"))


def scope_decisions(tree) -> list[int]:
    """Lines that decide zone scope: a comparison with a user's zone, or a user's zone chosen
    by whether they hold a zone role."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and any(_users_zone(side) for side in [node.left, *node.comparators]):
            lines.append(node.lineno)
        elif isinstance(node, ast.IfExp) and _is_zone_role_test(node.test) and (
                _mentions(node.body, _users_zone) or _mentions(node.orelse, _users_zone)):
            lines.append(node.lineno)
        elif isinstance(node, ast.BoolOp) and _is_zone_role_test(node) and _mentions(node, _users_zone) \
                and _mentions(node, lambda n: isinstance(n, ast.Compare)):
            lines.append(node.lineno)
    return sorted(set(lines))


def test_the_detector_finds_the_ways_scoping_used_to_be_written():
    written_before = '''
def a():
    if obj is None or (current_user.is_zone_role and obj.zone_id != current_user.zone_id):
        abort(404)
def b():
    return current_user.zone_id if current_user.is_zone_role else None
def c(user):
    own = user.zone_id if user is not None and user.is_zone_role else None
def d(user, zone):
    return user.role not in ZONE_ROLES or user.zone_id != zone.id
def e(job):
    return job.zone_id != current_user.zone_id
def f():
    return select(Project).where(Project.zone_id == _user().zone_id)
'''
    assert scope_decisions(ast.parse(written_before)) == [3, 6, 8, 10, 12, 14]
    using_the_rule = '''
def g(user, zone):
    issuer = current_user.zone.name if current_user.is_zone_role else bureau()
    leaders = zone_leaders(current_user.zone_id)
    return in_scope(select(Project), user, Project.zone_id), zone_of(user) != zone.id
'''
    assert scope_decisions(ast.parse(using_the_rule)) == []


def test_no_module_but_the_scope_rule_decides_which_zone_a_user_sees():
    found = {}
    for path in sorted(APP.rglob("*.py")):
        if path == SCOPE_HOME:
            continue
        lines = scope_decisions(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        if lines:
            found[str(path.relative_to(APP.parent))] = lines
    assert found == {}, "zone scope decided outside app/queries/scope.py (use in_scope / get_in_scope / sees / zone_of)"


TEMPLATE_SCOPE = re.compile(r"current_user\.zone_id\s*[!=]=|[!=]=\s*current_user\.zone_id")


def test_no_template_compares_the_readers_zone_itself():
    assert TEMPLATE_SCOPE.search("{% if current_user.role == 'bureau' or current_user.zone_id == p.zone_id %}")
    found = [str(path.relative_to(APP)) for path in sorted((APP / "templates").rglob("*.html"))
             if TEMPLATE_SCOPE.search(path.read_text(encoding="utf-8"))]
    assert found == [], "a template decides zone scope itself: use sees_zone(zone_id)"


def _imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function, as absolute names."""
    package = "app." + ".".join(path.relative_to(APP).with_suffix("").parts[:-1])
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rstrip(".").split(".")
                parent = parent[:len(parent) - node.level + 1]
                base = ".".join(parent + ([base] if base else []))
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def test_the_audit_writer_uses_the_chain_and_the_chain_never_imports_the_writer():
    assert "app.services.audit_chain" in _imported_modules(APP / "audit.py")
    assert "app.audit" not in _imported_modules(APP / "services" / "audit_chain.py")
