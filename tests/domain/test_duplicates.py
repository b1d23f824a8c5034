"""The one rule for likely duplicate projects (domain.duplicates)."""
import pytest

from app.domain.duplicates import (SAME_INVESTOR, SAME_NAME, SAME_USCI, SIMILAR_NAME, Entry, likeness,
                                   name_fragments, name_likeness, project_key)


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
