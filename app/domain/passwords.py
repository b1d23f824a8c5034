"""The password policy (MLPS 2.0 level 3 / ASVS L2): plain rules, Chinese messages, no Flask.

A password is accepted when it is at least MIN_LENGTH characters long, uses at least
MIN_CLASSES of the four character classes (upper case, lower case, digits, symbols), does
not contain the user's own username, is not on the list of common passwords shipped with
the code (common_passwords.txt, compared without regard to case; the demo password is on
it, so only `flask demo-data` can set it), and is not one of the user's last REUSE_DEPTH
passwords (app/services/users.py checks the stored hashes; see `reused`).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

MIN_LENGTH = 8
MAX_LENGTH = 128
MIN_CLASSES = 3

REUSE_DEPTH = 5
COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")

CLASS_NAMES = ("大写字母", "小写字母", "数字", "符号")

POLICY_TEXT = (f"密码长度 {MIN_LENGTH}～{MAX_LENGTH} 位，至少包含大写字母、小写字母、数字、符号中的"
               f"{MIN_CLASSES}类，不能包含用户名，不能是常见密码，也不能与最近 {REUSE_DEPTH} 次用过的密码相同。")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def is_common(password: str) -> bool:
    return password.strip().lower() in common_passwords()


def reused(password: str, recent_hashes: Iterable[str], matches: Callable[[str, str], bool]) -> str | None:
    """The refusal when `password` is one of the user's last REUSE_DEPTH passwords (given as
    their hashes, newest first, and a hash check), else None."""
    for stored in list(recent_hashes)[:REUSE_DEPTH]:
        if stored and matches(stored, password):
            return f"新密码不能与最近 {REUSE_DEPTH} 次用过的密码相同"
    return None


def character_classes(password: str) -> set[str]:
    """Which of the four classes the password uses. Letters outside ASCII (e.g. 汉字) count as symbols."""
    classes = set()
    for ch in password:
        if "A" <= ch <= "Z":
            classes.add("大写字母")
        elif "a" <= ch <= "z":
            classes.add("小写字母")
        elif ch.isdigit():
            classes.add("数字")
        elif not ch.isspace():
            classes.add("符号")
    return classes


def password_problems(password: str, username: str | None = None) -> list[str]:
    """Every reason the password breaks the policy, in Chinese; empty when it is acceptable."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(f"密码至少 {MIN_LENGTH} 位")
    if len(password) > MAX_LENGTH:
        problems.append(f"密码不能超过 {MAX_LENGTH} 位")
    if len(character_classes(password)) < MIN_CLASSES:
        problems.append(f"密码须包含大写字母、小写字母、数字、符号中的至少{MIN_CLASSES}类")
    if username and len(username) >= 3 and username.lower() in password.lower():
        problems.append("密码不能包含用户名")
    if not problems and is_common(password):  # named only once the rules above are met
        problems.append("该密码属于常见密码，容易被猜中，请换一个")
    return problems
