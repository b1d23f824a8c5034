"""Forms anyone can use: every field has a label, and the contact form can be filled in and
sent with the keyboard alone (Tab, typing, arrow keys, Space, Enter)."""
import re

from tests.e2e.conftest import OFFICE_PC, PHONE
from tests.e2e.helpers import login

UNLABELLED = """() => Array.from(document.querySelectorAll('main input, main select, main textarea'))
  .filter(e => !['hidden', 'submit', 'button'].includes(e.type))
  .filter(e => !(Array.from(e.labels || []).some(l => l.textContent.trim()))
               && !(e.getAttribute('aria-label') || '').trim() && !e.getAttribute('aria-labelledby'))
  .map(e => e.name || e.id || e.outerHTML)"""


def unlabelled(page) -> list[str]:
    return page.evaluate(UNLABELLED)


def tab_to(page, selector: str, limit: int = 25) -> int:
    """Press Tab until the focus is on `selector`; how many presses it took."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return presses
    raise AssertionError(f"{selector} is not reached by Tab within {limit} presses")


def test_every_field_of_the_main_forms_has_a_label(open_context):
    page = open_context(OFFICE_PC)
    page.goto("/login")
    assert page.locator("main input:not([type=hidden])").count() == 2 and unlabelled(page) == []

    login(page, "sjzgx-s1")
    project = page.evaluate("fetch('/contacts/lookup?q=').then(r => r.json()).then(rows => rows[0].id)")
    for path in ("/", "/contacts/new", "/contacts/", "/projects/", "/projects/new", f"/projects/{project}",
                 f"/projects/{project}/edit", "/password"):
        page.goto(path)
        assert page.locator("main input, main select, main textarea").count() > 0 or path == "/", path
        assert unlabelled(page) == [], path
    page.get_by_role("button", name="退出").click()

    login(page, "tcj")
    for path in ("/review/", "/review/leaders", "/review/watch", "/projects/", "/contacts/", "/reports/archive"):
        page.goto(path)
        assert unlabelled(page) == [], path


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
    page.keyboard.type(existing)  # typing a name the ledger has picks that project
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
