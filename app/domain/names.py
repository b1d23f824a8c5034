"""Company names compared as people mean them: 北京华创科技有限公司 and 北京华创科技股份有限公司
are the same investor."""
import re
import unicodedata
from functools import lru_cache

# Longest first, so 股份有限公司 goes before 有限公司.
SUFFIXES = sorted([
    "股份有限公司", "有限责任公司", "集团有限公司", "集团股份有限公司", "有限公司", "株式会社", "控股集团",
    "集团", "股份", "公司", "控股", "co.,ltd.", "co., ltd.", "co.,ltd", "co., ltd", "co.ltd", "ltd.", "ltd",
    "limited", "inc.", "inc", "corporation", "corp.", "corp", "gmbh", "ag", "plc", "llc",
], key=len, reverse=True)
_BRACKETED_PLACE = re.compile(r"[（(](中国|中國|china|北京|上海|天津|深圳|香港|石家庄|河北)[)）]")


@lru_cache(maxsize=65536)  # a ledger names the same few investors on thousands of rows
def company_key(name: str) -> str:
    """A comparison key: width- and case-folded, bracketed places and legal-form suffixes removed."""
    text = unicodedata.normalize("NFKC", name or "").lower()
    text = re.sub(r"\s+", "", text)
    text = _BRACKETED_PLACE.sub("", text)
    changed = True
    while changed and text:
        changed = False
        for suffix in SUFFIXES:
            if text.endswith(suffix.replace(" ", "")) and len(text) > len(suffix):
                text = text[: -len(suffix.replace(" ", ""))]
                changed = True
                break
    return text.strip("·-_,.，。")
