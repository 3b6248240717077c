"""Support read from one sentence: what a measure gives, grouped one measure at a time.

Owns the grammar of giving (给予一次性50万元奖励, 按利息的50%贴息、单个企业最高100万元,
分别给予300万元、200万元, 融资2亿元以下的…200万元;2亿元以上的…800万元 → a ``Support`` with
kind, amount, ratio, base, cap and tiers). The roles of the numbers come from ``amounts.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from corpus.amounts import AFTER, GIVE, PENALTY, Role
from corpus.fact_words import lookup, patterns
from corpus.facts import Support, Tier

_BASE_BY = re.compile(r"(?:按照|参照|比照|根据|按)(?:其)?(?P<base>[^,;按给每]{2,24}?)(?:的|给予(?:企业|其)?|,|实际)?"
                      r"(?:最高|不超过|不高于)?$")
_BASE_NOUN = re.compile(r"(?P<base>[\u4e00-\u9fff]{0,16}(?:费用|费|额|利息|支出|金额|投资|收入|工资|贡献|价格|"
                        r"资金|款|成本|租金|增量部分|投入))(?:的)?(?:最高|不超过|不高于)?$")


def clause_kind(text: str) -> str:
    """The kind of support a clause speaks of, for a sentence that names none."""
    m = patterns()["kind"].search(text)
    return lookup("support_kinds", m.group(0)) if m else "other"


def _kind_near(text: str, pos: int, end: int | None = None) -> str:
    """The support word nearest the number at ``pos``…``end``: 50万元奖励, 奖励50万元."""
    best: tuple[int, str] | None = None
    end = pos if end is None else end
    for m in patterns()["kind"].finditer(text):
        after = m.start() - end
        distance = (2 * after if after <= 6 else 4 * after) if after >= 0 else 2 * (pos - m.end()) + 1
        if best is None or distance < best[0]:
            best = (distance, m.group(0))
    return lookup("support_kinds", best[1]) if best else "other"


_PER = re.compile(r"(?P<u>(?:每[^,;。:每]{1,6}?)+)(?:给予|可获得?|按|发放|补贴|奖励|资助)?$")
_PERAFTER = re.compile(r"^/(?P<u>亩|人|户|平方米|年|月|台|套|个|家|项|次)")


def _base(sentence: str, start: int, r: Role) -> str | None:
    """What a ratio applies to (按贷款利息的50% → 贷款利息), or the unit a fixed sum is paid per
    (每人2000元 → 每人, 200元/亩 → 每亩)."""
    at = (r.first or r.q).start
    head = sentence[max(start, at - 30):at]
    if r.role == "ratio":
        for pattern in (_BASE_BY, _BASE_NOUN):
            if m := pattern.search(head):
                base = re.sub(r"^.*(?:为|是|给予|予|对|不超过|不高于|最高)|^其", "", m.group("base"))
                base = re.sub(r"(?:的|给予|最高|不超过|,)+$", "", base)
                if len(base) >= 2:
                    return base
        return None
    if m := _PER.search(head[-14:]):
        return re.sub(r"(?:最高|最多)?可?$", "", m.group("u"))
    if m := _PERAFTER.match(sentence[r.q.end:r.q.end + 4]):
        return "每" + m.group("u")
    return None


@dataclass
class _Unit:
    start: int
    end: int
    roles: list[Role]

    def main(self) -> list[Role]:
        return [r for r in self.roles if r.role in ("amount", "ratio")]


_PIECE = re.compile(r"[^,;:]+[,;:]?")
# A piece that goes on with the measure before it: its cap, its total, its per-year limit.
_CONTINUE = re.compile(r"(?:最高|最多|单个|单家|单项|每|总额|累计|同一|且|年度|原则上|上限|项目执行期内|"
                       r"(?:补贴|奖励|资助|补助|奖补|扶持|支持)(?:额度|金额|总额|资金|上限|标准))")
_RELIEF = re.compile(r"(减半征收|免征|减征|免收)")  # a relief needs no giving verb: 对…免征
_STRICT_KINDS = re.compile(r"(?:给予|予以|实行|可以?享受|可以?申请)[^,;。]{0,10}?"
                           r"(奖励|奖补|补贴|补助|资助|贴息|担保贷款|贷款|担保|减免|免征|减半征收)")


def _units(sentence: str, roles: list[Role]) -> list[_Unit]:
    """Cut a sentence into one unit per measure: a new unit begins where a new amount or ratio
    comes with its own giving verb; the pieces leading up to it (对…的, 融资达到…的) go with it.
    A semicolon always begins a new unit."""
    units: list[_Unit] = []
    current: _Unit | None = None
    pending: int | None = None  # where the pieces after the current unit's last award begin
    for m in _PIECE.finditer(sentence):
        a, b = m.start(), m.end()
        here = [r for r in roles if a <= r.q.start < b]
        if current is None or sentence[a - 1:a] == ";":
            if current is not None:
                units.append(current)
            current, pending = _Unit(a, b, here), None
            continue
        if any(r.role != "threshold" for r in here) and current.main() \
                and GIVE.search(sentence[a:b]) and not _CONTINUE.match(sentence[a:b]):
            start = pending if pending is not None else a
            moved = [r for r in current.roles if r.q.start >= start]
            current.roles = [r for r in current.roles if r.q.start < start]
            current.end = start
            units.append(current)
            current, pending = _Unit(start, b, moved + here), None
            continue
        current.roles += here
        current.end = b
        if any(r.role != "threshold" for r in here):
            pending = None
        elif current.main() and pending is None:
            pending = a
    if current is not None:
        units.append(current)
    return [u for u in units if any(r.role != "threshold" for r in u.roles)]


# What follows a cap's label (其他地区每年最高), and labels that scope a cap rather than name an
# alternative (每项, 同一单位, 单个企业, 累计).
_CAP_WORDS = re.compile(r"(?:每年|每户|每家|每人|年度)?(?:最高不超过|最高|最多|不超过|上限为?)(?:可|为)?$")
_SCOPE_LABEL = re.compile(r"每|同一|单个|单家|单项|累计|总额|年度|原则上")
_LIST = re.compile(r"(?:[^,;:、。]{1,16}(?:、|和|或|及(?!以)))+[^,;:、。]{1,16}")
_WHEN_LEAD = re.compile(r"^.*(?:对|认定的|评为|获得|达到|按照|按|为)")


def _whens(text: str, count: int) -> list[str]:
    """What each of ``count`` listed tiers is for: the last list of ``count`` items before 分别
    (对新认定的国家级、省级、市级… / 按照展示板和交易板分别…)."""
    head = text[:text.find("分别")] if "分别" in text else text
    for m in reversed(list(_LIST.finditer(head))):
        items = [x for x in re.split(r"、|和|或|及(?!以)", m.group(0)) if x]
        if len(items) == count:
            items[0] = _WHEN_LEAD.sub("", items[0]) or items[0]
            items[-1] = re.sub(r"的.*$|企业$", "", items[-1]) or items[-1]  # 三级的企业…
            return [x.strip(",的 ") for x in items]
    return [""] * count


def supports(sentence: str, roles: list[Role], once_in_clause: bool = False,
             clause_kind: str = "other") -> list[Support]:
    if PENALTY.search(sentence):
        return []
    award = [r for r in roles if r.role != "threshold"]
    if not award:
        m = _STRICT_KINDS.search(sentence) or _RELIEF.search(sentence)
        return [Support(lookup("support_kinds", m.group(1).replace("担保贷款", "贷款")
                                .replace("减半征收", "减半")), text=sentence)] if m else []
    out: list[Support] = []
    drafts: list[tuple[_Unit, Support, Role | None]] = []
    for unit in _units(sentence, roles):
        text = sentence[unit.start:unit.end]
        mains = unit.main()
        caps = [r for r in unit.roles if r.role == "cap"]
        first = (mains or caps)[0]
        kind = _kind_near(text, first.q.start - unit.start, first.q.end - unit.start)
        if kind == "other":
            kind = _kind_near(sentence, first.q.start, first.q.end)
        if kind == "other":
            kind = clause_kind  # 分别给予15万元、25万元 under a heading that says 奖励
        once = "一次性" in text or once_in_clause
        amounts = [r for r in mains if r.role == "amount"]
        ratios = [r for r in mains if r.role == "ratio"]
        listed = next((x for x in (amounts, ratios) if len(x) >= 2), [])
        labelled = False  # caps each behind its own label, not in a list (珠三角…最高6000元,其他…)
        if not listed and len(caps) >= 2 and all(c.listed for c in caps[1:]):
            listed = caps  # 最高分别不超过25万元、35万元, not a cap per project and one per year
        elif not listed and not mains and len(caps) >= 2:
            listed, labelled = caps, True
        if listed:
            bounds = [r for r in unit.roles if r.role == "threshold" and r.q.start < listed[0].q.start]
            thresholds: list[float | None]
            if labelled:
                whens, thresholds = [""] * len(listed), [None] * len(listed)
            elif len(bounds) == len(listed):  # 1000万元及以上至5000万元、…、1亿元以上的,分别…
                whens = [sentence[r.q.start:(r.upper or r.q).end] for r in bounds]
                thresholds = [r.q.value if r.comparator in (">=", ">", "between") else None
                              for r in bounds]
            else:
                whens, thresholds = _whens(text, len(listed)), [None] * len(listed)
            if not any(whens) and (listed is not caps or not mains) and "分别" not in text:
                # 一等奖20万元,二等奖15万元: each sum behind its own short label; so are caps
                # (珠三角地区每年最高6000元,其他地区每年最高4000元), but not caps of scopes
                # (每项不超过50万元,同一单位每年最高100万元)
                gaps = [sentence[(listed[i - 1].q.end if i else unit.start):r.q.start]
                        for i, r in enumerate(listed)]
                whens = [_CAP_WORDS.sub("", re.sub(r"^.*[:,;、]|[的为]+$|给予|奖励|补贴", "", g))
                         for g in gaps]
                if not all(0 < len(w) <= 8 and "(" not in g and not _SCOPE_LABEL.match(w)
                           for w, g in zip(whens, gaps, strict=True)) or len(set(whens)) < len(whens):
                    listed, whens = [], []
        if listed:
            tiers = tuple(Tier(w, amount=r.q.value if r.role == "amount" else None,
                               ratio=r.q.value if r.role == "ratio" else None,
                               cap=r.q.value if r.role == "cap" else None, threshold=t)
                          for w, r, t in zip(whens, listed, thresholds, strict=True))
            single = [r for r in (ratios if listed is not ratios else []) +
                      (amounts if listed is not amounts else [])]
            out.append(Support(
                kind, amount=next((r.q.value for r in single if r.role == "amount"), None),
                ratio=next((r.q.value for r in single if r.role == "ratio"), None),
                cap=caps[0].q.value if caps and listed is not caps else None, tiers=tiers,
                once=once, text=text, base=_base(sentence, unit.start, (single or listed)[0])))
            continue
        amount = amounts[0] if amounts else None
        ratio = ratios[0] if ratios else None
        main = amount or ratio
        support = Support(kind, amount=amount.q.value if amount else None,
                          ratio=ratio.q.value if ratio else None,
                          ratio_low=ratio.first.value if ratio and ratio.first else None,
                          base=_base(sentence, unit.start, main) if main else None,
                          cap=caps[0].q.value if caps else None, once=once, text=text)
        threshold = next((r for r in unit.roles if r.role == "threshold"
                          and main is not None and r.q.start < main.q.start), None)
        drafts.append((unit, support, threshold))
    return _tiered(sentence, _shared_base(sentence, drafts)) + out


_LABEL = re.compile(r"^[,;]?(?:对)?(?P<label>[\u4e00-\u9fff]{2,8}?)(?:按|按照)")


def _shared_base(sentence: str, drafts: list[tuple[_Unit, Support, Role | None]]
                 ) -> list[tuple[_Unit, Support, Role | None]]:
    """Shares of one base for different subjects, the base said once (大型企业按…缴纳失业保险费的30%
    返还,中小微企业按60%返还) are one graded support: a tier per subject, the base of the first."""
    out: list[tuple[_Unit, Support, Role | None]] = []
    i = 0
    while i < len(drafts):
        unit, first, threshold = drafts[i]
        group = [drafts[i]]
        label = _LABEL.match(sentence[unit.start:unit.end])
        if first.ratio is not None and first.amount is None and first.base and threshold is None \
                and label and not first.tiers:
            for nxt in drafts[i + 1:]:
                s = nxt[1]
                m = _LABEL.match(sentence[nxt[0].start:nxt[0].end])
                if not (m and s.kind == first.kind and s.ratio is not None and s.amount is None
                        and s.base is None and nxt[2] is None and not s.tiers):
                    break
                group.append(nxt)
        if len(group) == 1:
            out.append(drafts[i])
            i += 1
            continue
        tiers = tuple(Tier(_LABEL.match(sentence[u.start:u.end]).group("label"),  # type: ignore[union-attr]
                           ratio=s.ratio, cap=s.cap) for u, s, _ in group)
        merged = _Unit(unit.start, group[-1][0].end, [r for u, _, _ in group for r in u.roles])
        out.append((merged, Support(first.kind, base=first.base, tiers=tiers,
                                    once=any(s.once for _, s, _ in group),
                                    text=sentence[unit.start:group[-1][0].end].rstrip(",;")), None))
        i += len(group)
    return out


def _tiered(sentence: str, drafts: list[tuple[_Unit, Support, Role | None]]) -> list[Support]:
    """Consecutive measures of one kind, each behind its own threshold on one quantity
    (融资2亿元以下的…200万元; 融资2亿元以上的…800万元), are one graded support (分档)."""
    out: list[Support] = []
    i = 0
    while i < len(drafts):
        j = i
        while (j + 1 < len(drafts) and drafts[i][2] is not None and drafts[j + 1][2] is not None
               and drafts[j + 1][1].kind == drafts[i][1].kind
               and drafts[j + 1][2].q.unit == drafts[i][2].q.unit):  # type: ignore[union-attr]
            j += 1
        if j == i:
            out.append(drafts[i][1])
        else:
            group = drafts[i:j + 1]
            tiers = []
            for unit, support, threshold in group:
                assert threshold is not None
                end = (threshold.upper or threshold.q).end
                after = AFTER.match(sentence[end:end + 10])
                piece = max(sentence.rfind(c, unit.start, threshold.q.start) for c in ",;:")
                when = sentence[max(piece + 1, unit.start):end + (after.end() if after else 0)]
                when = when.lstrip(",;对")
                tiers.append(Tier(when, amount=support.amount, ratio=support.ratio,
                                  threshold=threshold.q.value if threshold.comparator in
                                  (">=", ">", "between") else None))
            first = group[0][1]
            caps = [s.cap for _, s, _ in group if s.cap is not None]
            out.append(Support(first.kind, base=first.base, cap=caps[-1] if caps else None,
                               tiers=tuple(tiers), once=any(s.once for _, s, _ in group),
                               text=sentence[group[0][0].start:group[-1][0].end]))
        i = j + 1
    return out
