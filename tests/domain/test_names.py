"""Company names compare as people mean them."""
import pytest

from app.domain.names import company_key


@pytest.mark.parametrize("a, b", [
    ("北京华创科技有限公司", "北京华创科技股份有限公司"),
    ("北京华创科技有限公司", "北京华创科技（中国）有限公司"),
    ("北京华创科技有限公司", "北京华创科技(中国)有限责任公司"),
    ("北京华创科技集团有限公司", " 北京华创科技 "),
    ("ＡＢＣ Co., Ltd.", "abc limited"),
])
def test_legal_forms_brackets_and_width_do_not_make_a_different_company(a, b):
    assert company_key(a) == company_key(b)


def test_different_companies_stay_different():
    assert company_key("北京华创科技有限公司") != company_key("上海华创科技有限公司")
    assert company_key("舍弗勒（德国）有限公司") != company_key("舍弗勒（中国）有限公司")
