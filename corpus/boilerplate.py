"""Line-level boilerplate of scraped policy pages: navigation, breadcrumbs, reporter lines,
ad footers, spam prefixes, duplicated headlines and page-info lines.

Owns which lines are not document text. It does not read metadata out of them (meta.py does
that from the same lines before they are dropped). Decisions are made on the matching form,
so traditional and simplified pages follow the same rules.
"""

from __future__ import annotations

import re

from corpus.clean import to_match

_CJK = re.compile(r"[\u3400-\u9fff]")
_BREADCRUMB = re.compile(r"^(当前位置|您的位置|你的位置|所在位置)\s*[:：]")
_PAGE_INFO = re.compile(r"^(来源|日期|发布日期|发布时间|时间|点击|浏览次数|作者|编辑|字号|字体)\s*[:：]")
_ORIGINAL_TITLE = re.compile(r"^[(（]?原标题\s*[:：]")
_NAV_ITEM = re.compile(r"^[-·•>›»]\s*\S.{0,24}$")
_FOOTER = re.compile(
    r"想爆料|新闻热线|广告热线|责任编辑|版权所有|免责声明|扫一扫|分享到|打印本页|关闭窗口"
    r"|上一篇|下一篇|网站地图|ICP备|诚邀合作伙伴|【打印】|【关闭】"
)
_REPORTER_LINE = re.compile(r"^[◆●■▲★◇]?\s*\S{0,8}(记者|通讯员)[^。]{0,30}(报道|摄|采写)?$")
_DATELINE_PREFIX = re.compile(r"^\S{0,8}讯\s*[(（]\s*(记者|通讯员)[^)）]{0,30}[)）]\s*")
_SPAM_PREFIX = re.compile(
    r"^[^:：]{0,30}(官网|游戏|娱乐|彩票|棋牌|博彩|赌|真人|下注|投注|老虎机|开户|注册送|app下载)"
    r"[^:：]{0,20}[:：]\s*",
    re.IGNORECASE,
)


def strip_spam_prefix(line: str) -> str:
    """``龙8手机游戏官网:关于公开征求…`` → ``关于公开征求…``."""
    match = _SPAM_PREFIX.match(to_match(line))
    if not match:
        return line
    # The matching form has the same length as the original for these characters except
    # width folding; find the colon in the original instead of slicing by position.
    for i, char in enumerate(line):
        if char in ":：":
            return line[i + 1 :].lstrip()
    return line


def strip_dateline(line: str) -> str:
    """``导报讯(记者 吴淑娟)经济导报记者从…`` keeps the sentence, drops the credit."""
    match = _DATELINE_PREFIX.match(to_match(line))
    if not match:
        return line
    for i, char in enumerate(line):
        if char in ")）":
            return line[i + 1 :].lstrip()
    return line


def is_page_info(line: str) -> bool:
    """Lines that are metadata of the page rather than text (来源/日期/点击, 原标题)."""
    m = to_match(line)
    return bool(_PAGE_INFO.match(m) or _ORIGINAL_TITLE.match(m))


def _is_noise(m: str) -> bool:
    if _BREADCRUMB.match(m) or _FOOTER.search(m):
        return True
    if _PAGE_INFO.match(m) or _ORIGINAL_TITLE.match(m):
        return True
    if len(m) <= 40 and _REPORTER_LINE.match(m):
        return True
    # No Chinese at all and short: menu words, dates, counters, bare URLs.
    return not _CJK.search(m) and len(m) < 60


def strip_boilerplate(lines: list[str]) -> list[tuple[int, str]]:
    """(index, line) of the lines that are text: noise lines and nav-menu runs are dropped; spam
    and dateline prefixes are cut off. A repeated line goes only when it is a repeated headline
    or part of a repeated block (a page scraped twice); a paragraph that a text itself repeats
    (a law restating a rule in two articles) stays."""
    matched = [to_match(line) for line in lines]
    nav = _nav_runs(matched)
    kept: list[tuple[int, str]] = []
    for i, (line, m) in enumerate(zip(lines, matched, strict=True)):
        if not m or i in nav or _is_noise(m):
            continue
        if i < 3:
            line = strip_spam_prefix(line)
        line = strip_dateline(line)
        kept.append((i, line))
    keys = [to_match(line) for _, line in kept]
    repeated = _repeated_blocks(keys)
    first_seen: set[str] = set()
    out: list[tuple[int, str]] = []
    for j, (i, line) in enumerate(kept):
        key = keys[j]
        headline = len(key) <= 40 and "。" not in key
        if key in first_seen and len(key) >= 6 and (headline or j in repeated):
            continue
        first_seen.add(key)
        out.append((i, line))
    return out


def _repeated_blocks(keys: list[str], min_run: int = 3) -> set[int]:
    """Positions inside a run of at least ``min_run`` lines that repeats an earlier run."""
    found: set[int] = set()
    where: dict[str, list[int]] = {}
    for j, key in enumerate(keys):
        where.setdefault(key, []).append(j)
    for j, key in enumerate(keys):
        for earlier in where[key]:
            if earlier >= j:
                break
            run = 0
            while j + run < len(keys) and earlier + run < j and keys[earlier + run] == keys[j + run]:
                run += 1
            if run >= min_run:
                found.update(range(j, j + run))
    return found


def _nav_runs(matched: list[str], min_run: int = 3) -> set[int]:
    """Indices of runs of at least ``min_run`` short bullet lines (a site menu)."""
    found: set[int] = set()
    run: list[int] = []
    for i, m in enumerate([*matched, ""]):
        if m and _NAV_ITEM.match(m) and "。" not in m:
            run.append(i)
            continue
        if len(run) >= min_run:
            found.update(run)
        run = []
    return found
