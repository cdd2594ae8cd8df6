"""Scrubbing phone and ID numbers out of free text before the public sees it.

Masking (masking.py) keeps part of a value that staff already know is there.
Text a resident typed is different: a number can be anywhere, in any form —
"138-1234-5678", "138 1234 5678", full-width "１３８…", Arabic-Indic or other
decimal scripts, Chinese numerals ("一三八…", "幺三八…"), mixed in one number,
with spaces, dashes, dots, brackets or invisible characters between the
digits. Every public surface that shows such text (Open311, the 议事 decisions,
the 评事 ballot and board, publication drafts made from matters) calls
`scrub_personal_numbers`, which replaces each number with a placeholder.

How: every character is mapped to one canonical character (any decimal digit
→ its ASCII digit, Chinese numerals → digits, x/Ｘ → X, any space, dash or
invisible format character → a space, brackets → ASCII brackets), so the
canonical text has the same length as the original and a match found there is
cut out of the original at the same place. Then, in order:
1. runs of 15 or more digits (18- and 15-character ID numbers, bank cards);
2. mainland mobile numbers (1[3-9] + 9 digits), with +86/0086/86 in front;
3. landline numbers with their area code (0 + 9 to 11 digits);
4. 7 or more digits right after a word such as 电话, 手机, 微信, tel.
A number inside a run of letters and digits (a hash, a matter number such as
SX20261130-0001) is not a phone number and is left alone; so are dates,
amounts and vote counts."""

from __future__ import annotations

import re
import unicodedata

NUMBER_PLACEHOLDER = "[号码已隐去]"

# Chinese numerals as people read digits aloud (幺 for 1, 洞 for 0, 拐 for 7).
_CHINESE_DIGITS = {
    "〇": "0",
    "零": "0",
    "○": "0",
    "洞": "0",
    "一": "1",
    "壹": "1",
    "幺": "1",
    "二": "2",
    "贰": "2",
    "三": "3",
    "叁": "3",
    "四": "4",
    "肆": "4",
    "五": "5",
    "伍": "5",
    "六": "6",
    "陆": "6",
    "七": "7",
    "柒": "7",
    "拐": "7",
    "八": "8",
    "捌": "8",
    "九": "9",
    "玖": "9",
}
_X_FORMS = frozenset("xXｘＸ")
_OPENING = frozenset("(（〔[［【")
_CLOSING = frozenset(")）〕]］】")
_PLUS = frozenset("+＋")
_DOTS = frozenset(".．·・_＿")

# Between two digits of one number: up to three separators (spaces, dashes,
# dots, brackets: "138 - 1234 - 5678", "(0533)2181234").
_S = r"[ ()]{0,3}"
_START = r"(?<![0-9A-Za-z])"
_END = r"(?![0-9A-Za-z])"
_PATTERNS = [
    re.compile(_START + r"\(?\d(?:" + _S + r"\d){13,}(?:" + _S + r"X)?" + _END),
    re.compile(_START + r"(?:(?:\+|00)" + _S + r")?(?:86" + _S + r")?\(?1" + _S + r"[3-9](?:" + _S + r"\d){9}" + _END),
    re.compile(_START + r"\(?0(?:" + _S + r"\d){9,11}" + _END),
]
_AFTER_KEYWORD = re.compile(
    r"(?i:电话|手机|座机|固话|联系方式|微信|qq|tel|phone|mobile|☎|📞)[\s:：是为号码]{0,4}(\(?\d(?:" + _S + r"\d){6,})"
)


def _canonical_char(char: str) -> str:
    if char.isascii():
        if char in _OPENING:
            return "("
        if char in _CLOSING:
            return ")"
        if char in "xX":
            return "X"
        if char in _DOTS or char == "-" or char.isspace():
            return " "
        return char
    value = unicodedata.decimal(char, None)
    if value is None:
        value = unicodedata.digit(char, None)  # ① ² and the like
    if value is not None and 0 <= value <= 9:
        return str(value)
    if char in _CHINESE_DIGITS:
        return _CHINESE_DIGITS[char]
    if char in _X_FORMS:
        return "X"
    if char in _OPENING:
        return "("
    if char in _CLOSING:
        return ")"
    if char in _PLUS:
        return "+"
    if char in _DOTS or char.isspace() or unicodedata.category(char) in ("Pd", "Zs", "Cf"):
        return " "
    folded = unicodedata.normalize("NFKC", char)
    return folded if len(folded) == 1 and folded.isascii() and folded.isalpha() else char


def canonical(text: str) -> str:
    """`text` with every digit, separator and bracket in one canonical form;
    the same length as `text`, character for character."""
    return "".join(_canonical_char(c) for c in text)


def _spans(text: str) -> list[tuple[int, int]]:
    norm = canonical(text)
    found: list[tuple[int, int]] = []
    for pattern in _PATTERNS:
        found.extend(m.span() for m in pattern.finditer(norm))
    found.extend(m.span(1) for m in _AFTER_KEYWORD.finditer(norm))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def has_personal_numbers(text: str | None) -> bool:
    return bool(text) and bool(_spans(str(text)))


def scrub_personal_numbers(text: str | None) -> str:
    """`text` with every phone, ID or card number replaced by a placeholder."""
    if not text:
        return ""
    text = str(text)
    spans = _spans(text)
    if not spans:
        return text
    parts: list[str] = []
    last = 0
    for start, end in spans:
        parts.append(text[last:start])
        parts.append(NUMBER_PLACEHOLDER)
        last = end
    parts.append(text[last:])
    return "".join(parts)
