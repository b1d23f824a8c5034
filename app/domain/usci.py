"""统一社会信用代码 (unified social credit code) check, per GB 32100-2015."""
from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def normalize_usci(code: str) -> str:
    return code.strip().upper()


def check_character(first17: str) -> str:
    total = sum(ALPHABET.index(ch) * w for ch, w in zip(first17, WEIGHTS))
    return ALPHABET[(31 - total % 31) % 31]


def usci_error(code: str) -> str | None:
    """The Chinese reason a code is invalid, or None when it is valid."""
    code = normalize_usci(code)
    if len(code) != 18:
        return f"统一社会信用代码应为18位，当前为{len(code)}位"
    bad = [ch for ch in code if ch not in ALPHABET]
    if bad:
        return f"统一社会信用代码含有不允许的字符“{bad[0]}”（不使用 I、O、Z、S、V）"
    if check_character(code[:17]) != code[17]:
        return "统一社会信用代码校验位不正确，请核对"
    return None


def is_valid_usci(code: str) -> bool:
    return usci_error(code) is None
