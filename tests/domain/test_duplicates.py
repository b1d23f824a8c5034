"""The one rule for likely duplicate projects (domain.duplicates)."""
import pytest

from datetime import date
from decimal import Decimal

from app.domain.duplicates import (SAME_AMOUNT, SAME_INVESTOR, SAME_MONTH, SAME_NAME, SAME_USCI, SIMILAR_NAME, Entry,
                                   likely_same_project, likeness, name_fragments, name_likeness, names_contain,
                                   project_key)


def test_names_are_compared_without_width_case_space_punctuation_or_a_trailing_xiangmu():
    assert project_key("石家庄 氢能重卡（一期）项目") == project_key("石家庄氢能重卡(一期)")
    assert project_key("ＡＢＣ新材料项目") == "abc新材料"


@pytest.mark.parametrize("a, b, similar", [
    ("氢能重卡整车制造项目", "氢能重卡整车制", True),      # the last character missing
    ("新能源电池生产基地项目", "新能源电池生产基地二期项目", True),
    ("新能源电池项目", "生物医药产业园项目", False),
    ("电池", "电池回收", False),                     # too short to call one inside the other
])
def test_a_name_with_a_character_or_two_missing_is_similar(a, b, similar):
    assert (name_likeness(a, b) >= 0.75) is similar


def test_reasons_are_said_in_words():
    new = Entry("精密轴承项目", "舍弗勒（中国）有限公司", "91350100m000100y43")
    assert likeness(new, Entry("精密轴承项目", "舍弗勒有限公司", "91350100M000100Y43"))[0] == (
        SAME_NAME, SAME_INVESTOR, SAME_USCI)
    assert likeness(new, Entry("精密轴承二期项目"))[0] == (SIMILAR_NAME,)
    assert likeness(new, Entry("完全不同的名称", "别的公司"))[0] == ()


def test_fragments_let_a_database_find_candidates():
    assert name_fragments("氢能重卡整车制造项目") == ["氢能重卡", "重卡整车", "整车制造"]
    assert name_fragments("电池项目") == ["电池"]
    assert name_fragments("") == []


def test_a_name_with_the_investors_legal_form_contains_the_short_one():
    assert names_contain("河北鑫泰新材料有限公司年产5万吨项目", "鑫泰新材料年产5万吨项目")
    assert not names_contain("光伏一期项目", "光伏二期项目")      # alike, but two projects
    assert not names_contain("新项目1号", "新项目12号")


XINTAI = "河北鑫泰新材料有限公司"
FIRST = Entry(f"{XINTAI}年产5万吨项目", XINTAI, "", Decimal("1200000000"), (date(2024, 5, 8),))


@pytest.mark.parametrize("second, reasons", [
    (Entry("鑫泰新材料年产5万吨项目", XINTAI, "", Decimal("1200000000"), (date(2024, 5, 20),)),
     (SIMILAR_NAME, SAME_INVESTOR, SAME_AMOUNT, SAME_MONTH)),
    (Entry("鑫泰新材料年产5万吨项目", ""), (SIMILAR_NAME,)),                           # nothing says otherwise
    (Entry("鑫泰新材料年产5万吨项目", "石家庄另一家有限公司"), ()),                  # another investor
    (Entry("鑫泰新材料年产5万吨项目", XINTAI, "", Decimal("500000000")), ()),        # another amount
    (Entry("鑫泰新材料年产5万吨项目", XINTAI, "", None, (date(2023, 5, 8),)), ()),    # another year
])
def test_likely_the_same_project_written_twice(second, reasons):
    assert likely_same_project(second, FIRST)[0] == reasons
