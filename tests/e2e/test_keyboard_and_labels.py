"""Pages anyone can use: on every main page each field has a label of its own, the first Tab
offers to skip the menu and Enter does, and ahead/behind is said in words, not colour alone;
the contact form can be filled in and sent with the keyboard alone (Tab, typing, arrow keys,
Space, Enter)."""
import re

from tests.e2e.conftest import OFFICE_PC, PHONE
from tests.e2e.helpers import login

# Every field's accessible name, as a screen reader computes it: aria-labelledby, else
# aria-label, else its <label>s (label[for] or a wrapping label). Hidden fields have none.
FIELD_NAMES = """() => Array.from(document.querySelectorAll('input, select, textarea'))
  .filter(e => !['hidden', 'submit', 'button', 'reset', 'image'].includes(e.type))
  .map(e => {
    const text = n => (n ? n.textContent : '').replace(/\\s+/g, ' ').trim();
    const ids = (e.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean);
    const name = ids.length ? ids.map(id => text(document.getElementById(id))).join(' ').trim()
      : (e.getAttribute('aria-label') || '').trim() || Array.from(e.labels || []).map(text).join(' ').trim();
    return [e.name || e.id || e.outerHTML.slice(0, 80), name, e.type];
  })"""
# Skipping the menu: the first thing Tab reaches is the skip link, shown while it has the focus;
# Enter puts the focus on <main>, and the next Tab is inside the page's content, past the menu.
SKIP_LINK = """() => {
  const first = document.querySelector('a[href], button, input:not([type=hidden]), select, textarea, [tabindex]:not([tabindex="-1"])');
  return [first.className, first.textContent.trim(), first.getAttribute('href')];
}"""
# Colour says ahead or behind only beside the words: a badge is its word; a coloured cell or
# bar has the word inside it, in its tooltip, or in the accessible name of its chart.
COLOUR_ONLY = """() => {
  const words = ['领先', '符合序时', '落后'];
  const coloured = document.querySelectorAll('.pace-ahead, .pace-on_pace, .pace-behind, [class*="pace-cell-"]');
  return Array.from(coloured).filter(e => {
    const said = [e.textContent, (e.closest('svg') || e).getAttribute('aria-label') || ''].join(' ');
    return !words.some(w => said.includes(w));
  }).map(e => e.outerHTML.slice(0, 120));
}"""


def field_names(page) -> list[list[str]]:
    return page.evaluate(FIELD_NAMES)


def check_page(page, path: str, fields: bool = True) -> None:
    """Every field named, no two alike (radio buttons share their group's), the skip link
    first and working, pace never said by colour alone."""
    page.goto(path)
    named = field_names(page)
    if fields:
        assert named, f"{path}: no fields to check"
    assert [f for f, name, _ in named if not name] == [], f"{path}: fields without a label"
    names = [name for _, name, kind in named if kind != "radio"]
    assert len(names) == len(set(names)), f"{path}: two fields have the same label: {sorted(names)}"
    assert page.evaluate(COLOUR_ONLY) == [], f"{path}: colour without words"

    assert page.evaluate(SKIP_LINK) == ["skip", "跳到正文", "#main"], path
    if page.evaluate("document.activeElement === document.body"):  # not the login's autofocus
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == "skip", path
        box = page.locator("a.skip").bounding_box()
        assert box and box["y"] >= 0 and box["height"] > 10, f"{path}: the focused skip link is not shown"
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main", f"{path}: Enter does not reach <main>"
        page.keyboard.press("Tab")
        assert page.evaluate("!!document.activeElement.closest('main')"), f"{path}: Tab after the skip left <main>"


def tab_to(page, selector: str, limit: int = 25) -> int:
    """Press Tab until the focus is on `selector`; how many presses it took."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return presses
    raise AssertionError(f"{selector} is not reached by Tab within {limit} presses")


def test_every_page_names_its_fields_and_can_skip_the_menu(open_context):
    page = open_context(OFFICE_PC)
    page.goto("/login")
    assert page.evaluate("document.activeElement.id") == "username", "the login puts the cursor in 用户名"
    check_page(page, "/login")
    assert [name for _, name, _ in field_names(page)] == ["用户名", "密码"]

    login(page, "sjzgx-s1")
    project = page.evaluate("fetch('/contacts/lookup?q=').then(r => r.json()).then(rows => rows[0].id)")
    for path in ("/", "/contacts/new", "/contacts/", "/projects/", "/projects/new", f"/projects/{project}",
                 f"/projects/{project}/edit", "/imports/", "/password", "/tokens"):
        check_page(page, path, fields=path != "/")
    page.get_by_role("button", name="退出").click()

    login(page, "sjzgx-l2")  # a leader's home: the quota and the contacts export
    check_page(page, "/")
    page.get_by_role("button", name="退出").click()

    login(page, "tcj")
    for path in ("/review/", "/review/leaders", "/review/watch", "/review/charts", "/projects/", "/contacts/",
                 "/reports/archive"):
        check_page(page, path)
    page.get_by_role("button", name="退出").click()

    login(page, "admin")
    check_page(page, "/admin/targets")
    names = [name for _, name, _ in field_names(page)]
    assert "A类 引进外资项目 争取目标" in names and "美元（USD）" in names, names
    for path in ("/admin/", "/admin/users/new", "/admin/zones/new"):
        check_page(page, path, fields=path != "/admin/")


def test_staff_logs_a_contact_with_the_keyboard_only(open_context, shots):
    page = open_context(OFFICE_PC)
    login(page, "sjzgx-s1")
    existing = page.evaluate("fetch('/contacts/lookup?q=').then(r => r.json()).then(rows => rows[1].name)")
    page.goto("/contacts/new")

    # The first Tab offers to skip the menu; Enter takes the focus to the page's content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "跳到正文"
    shots(page, "skip-link", full_page=False)
    page.keyboard.press("Enter")
    tab_to(page, "#project_name", limit=2)
    page.keyboard.type(existing)  # typing searches; the arrow keys and Enter choose from the list
    page.locator("#project-listbox [role=option]").first.filter(has_text=existing).wait_for()
    page.keyboard.press("ArrowDown")
    assert page.get_attribute("#project_name", "aria-activedescendant")
    page.keyboard.press("Enter")
    assert page.input_value("input[name=project_id]"), "the chosen project's id is what is sent"
    tab_to(page, "#form")
    page.keyboard.press("ArrowDown")  # the second way of contact
    second = page.locator("#form option").nth(1).inner_text()
    tab_to(page, "#leaders-0")
    page.keyboard.press("Space")
    first_leader = page.locator("label[for=leaders-0]").inner_text()
    tab_to(page, "#summary")
    page.keyboard.type("电话沟通供地方案，企业下周来区考察标准厂房。")
    tab_to(page, "#next_step")
    page.keyboard.type("安排企业二次考察")
    tab_to(page, "button[type=submit]")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "the focused button shows where the keyboard is"
    shots(page, "filled-by-keyboard")
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/(#main)?$"))  # the browser keeps the skip link's #main
    assert f"已记录与“{existing}”的对接" in page.locator(".flash-success").inner_text()
    page.goto("/contacts/")
    row = page.locator("table.list tbody tr").first
    assert existing in row.inner_text() and second in row.inner_text() and first_leader in row.inner_text()
    assert "安排企业二次考察" in row.inner_text()
    shots(page, "contact-listed", full_page=False)


def test_pace_is_said_in_words_on_every_screen_that_colours_it(open_context):
    page = open_context(PHONE)
    login(page, "sjzgx-s1")  # the zone's home: its targets and its leaders' quotas
    badges = page.locator(".pace").all_inner_texts()
    assert len(badges) == page.locator("main tbody tr").count()
    assert set(badges) <= {"领先", "符合序时", "落后"}
    page.get_by_role("button", name="退出").click()
    login(page, "tcj")
    page.goto("/review/leaders")
    badges = page.locator(".pace").all_inner_texts()
    assert len(badges) == page.locator("table.list tbody tr").count()
    assert set(badges) <= {"领先", "符合序时", "落后"}
