"""Comparing what an asker says with what a clause says, word for word: the asker's words read
as the official ones (``question.vocabulary.OFFICIAL``: 拿过 → 获得, 个体户 → 个体工商户), then
character bigrams of Chinese runs, without those holding a function character (的, 了, 是…).

Owns that comparison and the weight of a shared term: a term that any policy question or clause
shares (企业, 奖励, 市级…) counts for little, a term of the situation itself (劳务派遣,
经营异常名录, 发明专利) counts fully.
"""

from __future__ import annotations

import re
from functools import lru_cache

from question.vocabulary import OFFICIAL

# Particles: a bigram holding one says nothing of the situation (的企业, 了吗).
_FUNCTION = set("的了吗呢吧啊着之其于所该此且也都就还又很更最把被将给让使和或及与等并从向对为在是这那")
# Words of asking and of the asker, not of the situation.
_STOP = frozenset({"我们", "你们", "他们", "能够", "可以", "是否", "现在", "什么", "怎么", "如何", "哪些",
                   "能不", "不能", "可不", "不可", "有没", "没有", "能否", "还能", "多少", "需要", "应当",
                   "一个", "一家", "个人", "有关", "相关", "以上", "以下", "之一", "我司", "本人",
                   "不得", "不予", "不再", "可能", "要求", "有限", "具有"})
_NUMERALS = set("零〇一二两三四五六七八九十百千万亿")
_UNITS = set("年月日个万亿元人次周岁号条款项家名")


def _counted(pair: str) -> bool:
    """三年, 五万, 第三, 近两: a number and its unit, which says nothing of the situation (新三板
    does)."""
    return (pair[0] in _NUMERALS and (pair[1] in _NUMERALS or pair[1] in _UNITS)) or \
        (pair[1] in _NUMERALS and pair[0] in "第近满前后每逾共约")

# Shared by nearly every policy question and clause: weak evidence that two texts speak of the
# same situation.
WEAK = frozenset({
    "企业", "公司", "单位", "项目", "申报", "申请", "奖励", "补助", "补贴", "资金", "支持", "扶持",
    "政策", "享受", "获得", "财政", "专项", "本市", "我市", "本区", "我区", "已经", "去年", "今年",
    "前年", "其他", "相关", "有关", "国家", "家级", "省级", "市级", "区级", "县级", "规定", "条件",
    "符合", "要求", "办法", "实施", "工作", "进行", "按照", "标准", "给予", "予以", "经营", "发展",
    "中小", "小企", "管理", "部门", "机构", "人员", "服务", "认定", "新认", "现在", "目前", "时候",
})
WEAK_WEIGHT = 0.5


@lru_cache(maxsize=1)
def _official_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    table = {said: word for word, saids in OFFICIAL.items() for said in saids}
    table.update({word: word for word in OFFICIAL})  # 高校毕业生 stays whole (not 高校+毕业生)
    words = sorted(table, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words)), table


def official(text: str) -> str:
    """``text`` with the askers' words replaced by the official ones."""
    pattern, table = _official_pattern()
    return pattern.sub(lambda m: table[m.group(0)], text)


def terms(text: str) -> set[str]:
    out: set[str] = set()
    for run in re.findall(r"[\u4e00-\u9fff]+", text):
        for i in range(len(run) - 1):
            pair = run[i:i + 2]
            if not (set(pair) & _FUNCTION or _counted(pair) or pair in _STOP):
                out.add(pair)
    return out


def weight(shared: set[str] | frozenset[str]) -> float:
    return sum(WEAK_WEIGHT if t in WEAK else 1.0 for t in shared)


def shared(clause_words: str, asker_words: str) -> set[str]:
    """Terms both texts hold (the asker's read as official words)."""
    return terms(clause_words) & terms(official(asker_words))
