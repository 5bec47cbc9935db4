"""Names in one language: a bilingual name written "English 中文" (or "中文 English") shows
its Chinese half in Chinese and its English half otherwise (report, slides, canvas)."""

from __future__ import annotations

import re

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # CJK ideographs (and extension A)
_EN_ZH = re.compile(rf"^(?P<en>[^{_HAN}]*?[A-Za-z][^{_HAN}]*?)[\s/|(（]+"
                    rf"(?P<zh>[{_HAN}](?:.*[{_HAN}0-9])?)[)）]?$")
_ZH_EN = re.compile(rf"^(?P<zh>[{_HAN}][^A-Za-z]*?)[\s/|(（]+(?P<en>[A-Za-z][^{_HAN}]*?)[)）]?$")


_FIRST_HAN = re.compile(rf"[{_HAN}]")


def name_parts(name: str) -> tuple[str, str] | None:
    """(English, Chinese) of a bilingual name, None when the name is in one language.

    The Chinese half may start with Latin letters or digits ("MES manufacturing
    execution system MES制造执行系统", "5G private network 5G专网"): it is the word
    holding the first Chinese character and everything after it.
    """
    text = name.strip()
    match = _EN_ZH.match(text) or _ZH_EN.match(text)
    if match is not None:
        return match["en"].strip(), match["zh"].strip()
    han = _FIRST_HAN.search(text)
    if han is None:
        return None
    start = max(text.rfind(" ", 0, han.start()), text.rfind("/", 0, han.start()))
    english, chinese = text[:start].strip(" /|"), text[start + 1:].strip()
    if start <= 0 or not re.search("[A-Za-z]", english) or _FIRST_HAN.search(english):
        return None
    return english, chinese


def shown_name(name: str, lang: str) -> str:
    """The name in ``lang``: a bilingual name's half in that language, else the whole name."""
    parts = name_parts(name)
    if parts is None:
        return name.strip()
    return parts[1] if lang == "zh_CN" else parts[0]
