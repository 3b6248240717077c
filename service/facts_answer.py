"""First sentences read from facts rather than quoted: the eligibility verdict, the support
with its terms (and the asker's figure), a document's validity, and the status note an answer
from a document no longer in force carries.

Pure functions of the Query, the hits and the document records; service.answer decides when
each applies.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from corpus.amounts import classify, quantities
from corpus.clean import SENTENCE, to_match
from corpus.facts import Condition, DateFact, Fact, Support
from corpus.injection import instruction_sentences, is_flagged
from corpus.models import Clause
from corpus.records import status_now
from index.search import Hit
from question.circumstances import degrees
from question.numbers import format_money, format_number
from question.query import Query
from service import citations
from service.amounts import (
    ASKS_TOTAL,
    figure,
    instalment,
    stepped,
    support_sentence,
    total_said,
)
from service.eligibility import Eligibility, verdict
from service.terms import shared, weight

# How many clauses of the best document beyond those cited may hold a measure's conditions
# (申报条件 is often a clause of its own, next to the support it governs).
CONDITION_REACH = 5
CONDITION_SCORE_RATIO = 0.5
CONDITIONS_SHARED = 3.0  # weight of the words a conditions clause read unretrieved must share
# A verdict read from shared words alone (service.situations' category and condition rules)
# stands only when its clause is not far weaker than the best match.
_WORD_RULES = frozenset({"category", "condition"})
TOP_MARGIN = 1.5
_CONDITIONS_HEADING = re.compile(r"条件|资格")
# A clause that opens by stating who qualifies (具备下列条件的…可以, 应当同时符合以下条件): where
# the genre defines eligibility, unlike a schedule of tiers or a cap that also names bounds.
_STATES_CONDITIONS = re.compile(r"(?:下列|以下|如下)(?:基本|申报|申请)?(?:条件|资格)|条件如下|"
                                r"(?:应当|须|必须)(?:同时)?(?:符合|具备|满足)(?:下列|以下)")
_DATES = ("施行", "有效期", "失效")
# Words of a clause that states a document's validity (自…起施行, 有效期, 执行至, 政策期限为…).
_VALIDITY_WORDS = re.compile(r"起施行|起实施|起执行|有效期|执行至|执行期限|政策期限|实施期限|同时废止|失效")


def trusted_facts(clause: Clause) -> list[Fact]:
    """The clause's facts that an answer may state: none read from a sentence addressed to a
    model or its payload (corpus.injection), which are never quoted either."""
    flagged = instruction_sentences(clause.text_match)
    if not flagged:
        return list(clause.facts)
    return [f for f in clause.facts
            if not any(is_flagged(part, flagged) for part in SENTENCE.findall(_said_by(f)))
            and not (_said_by(f) == "" and any(_named(f) in item for item in flagged))]


def _caps_stated(support: Support) -> bool:
    """Whether the support carries every cap its words set: caps for different regions or
    kinds read as one would state one of them as the rule."""
    if support.ratio is not None or support.amount is not None:
        return True  # a further cap is a scope's (每项不超过50万元,同一单位每年最高100万元)
    stated = {support.cap} | {t.cap for t in support.tiers} | {t.amount for t in support.tiers}
    return all(r.q.value in stated for r in classify(support.text, quantities(support.text))
               if r.role == "cap")


def _said_by(fact: Fact) -> str:
    return getattr(fact, "text", "") or ""


def _named(fact: Fact) -> str:
    return str(getattr(fact, "name", "") or getattr(fact, "value", "") or getattr(fact, "item", ""))


def decide(query: Query, cited: list[Hit], hits: Sequence[Hit],
           document: Sequence[Clause] = ()) -> tuple[Eligibility, list[Hit]]:
    """The verdict on the asker's circumstances over the cited clauses, the best document's
    other retrieved clauses and its conditions clauses (``document``: its clauses; one whose own
    heading says 条件 — 应具备以下基本条件 — and that states typed conditions is read wherever
    it ranks); the clauses that decide it are cited first."""
    doc = cited[0].clause.doc_id
    # the verdict is on one policy: another document's conditions (the same measure elsewhere,
    # 孝义's 稳岗返还 beside 三门峡's) say nothing of it, unless the question compares documents
    # or names that one (by title, 文号 or its place: 上海's rules beside a national one)
    compared = query.comparison or bool(query.compared)
    cited = [h for h in cited if h.clause.doc_id == doc or compared
             or h.clause.doc_id in query.named or h.clause.doc_id in query.documents]
    # another clause of the document is read when it matches at least half as well or stands
    # under the document's conditions (三、申报条件); a much weaker one elsewhere is another
    # measure's (示范基地的认定条件 beside the 留用补贴 asked about)
    pool = list(cited) + [h for h in hits[:CONDITION_REACH]
                          if h not in cited and h.clause.doc_id == doc
                          and (h.score >= CONDITION_SCORE_RATIO * cited[0].score
                               or _CONDITIONS_HEADING.search(to_match("".join(h.clause.heading_path[:-1]))))]
    held = {h.clause.clause_id for h in pool}
    pool += [Hit(c, 0.0, 0.0, 0.0, 99) for c in document if c.clause_id not in held
             and "条件" in to_match(c.heading_path[-1] if c.heading_path else "")
             and any(isinstance(f, Condition) for f in trusted_facts(c))
             # …of the measure asked about (申请生产资助单位必须…), not another's in the same text
             and weight(shared(c.text_match, query.own_match)) >= CONDITIONS_SHARED]
    pool = _for_degree(pool, query.circumstances.education)
    conditions = [(f, h.clause.clause_id) for h in pool for f in trusted_facts(h.clause)
                  if isinstance(f, Condition)]
    result = verdict(conditions, query.circumstances,
                     clauses=[(h.clause.clause_id, h.clause.text_match) for h in pool],
                     question=query.own_match)
    deciding = {r.clause_id for r in result.deciding()}
    first = [h for h in pool if h.clause.clause_id in deciding]
    # decided in a clause that states the conditions and in others besides (a schedule of
    # tiers: 满1年不足5年…): the conditions clause is the one that says whether
    stating = [h for h in first if _STATES_CONDITIONS.search(h.clause.text_match[:60])]
    first = stating or first
    retrieved = [h for h in first if h.rank != 99]  # a conditions clause read unretrieved has no score
    if retrieved and len(retrieved) == len(first) and cited[0] not in first \
            and all(r.rule in _WORD_RULES for r in result.deciding()) \
            and cited[0].score >= TOP_MARGIN * max(h.score for h in retrieved):
        # decided only by shared words, in clauses far weaker than the best match: the asker's
        # situation is named there (新型研发机构), what they ask is granted elsewhere
        result = Eligibility("unknown", tuple(r for r in result.conditions if r.status == "unknown"))
        first = []
    # the deciding clauses answer whether; a read clause is cited only for another asked part
    rest = [h for h in cited if h not in first]
    if not first:
        # nothing decided: only the cited clauses' conditions are the asker's to check (another
        # measure of the same document read for the verdict is not what was asked about)
        kept = citations.complete(query, cited[:1], rest)
        ids = {h.clause.clause_id for h in kept}
        return Eligibility(result.verdict, tuple(c for c in result.conditions
                                                 if c.clause_id in ids)), kept
    # the conditions said (and left for the asker to check) are the judged measure's: those of
    # the clauses that decided, not another measure's that a clause cited for another part states
    ids = {h.clause.clause_id for h in first}
    return Eligibility(result.verdict, tuple(c for c in result.conditions if c.clause_id in ids)), \
        citations.complete(query, first, rest, verdict=True)


def _for_degree(pool: list[Hit], education: str | None) -> list[Hit]:
    """The clauses that can be about a person of the asker's degree: one that names other
    degrees only (博士…50周岁以下 for a 硕士) sets another person's bounds. Kept whole when none
    would be left."""
    if education is None:
        return pool
    kept = [h for h in pool if not (named := degrees(h.clause.text_match)) or education in named]
    return kept or pool


def citation_numbers(cited: Sequence[Hit]) -> dict[str, int]:
    return {h.clause.clause_id: n for n, h in enumerate(cited, start=1)}


def support_line(query: Query, cited: Sequence[Hit],
                 records: Mapping[str, Mapping[str, Any]] | None = None) -> str | None:
    """The support a cited clause gives, amount, ratio, base and cap together, with the
    asker's figure computed when they state its base; the support whose words the question
    shares most. A comparison of documents gets one line per document that states one, under
    its title (``records``: the documents' records, for a clause that carries no title)."""
    found = _supports(query, cited)
    docs = list(dict.fromkeys(cited[-n - 1].clause.doc_id for _, n, _ in found))
    if query.comparison and len(docs) >= 2:
        lines = []
        for doc in docs:
            own = [item for item in found if cited[-item[1] - 1].clause.doc_id == doc]
            shared, n, support = max(own, key=lambda item: (item[0], item[1]))
            if _caps_stated(support):
                # the clause's title, else the document record's (a .docx clause carries none)
                title = cited[-n - 1].clause.title or (records or {}).get(doc, {}).get("title") or doc
                lines.append(f"《{to_match(title)}》：" + support_sentence(
                    support, query.circumstances, cite=f"[{-n}]", asker=query.own_match))
        if len(lines) >= 2:
            return "\n".join(lines)
    if not found:
        return None
    if (level := _asked_level(query.own_match)) is not None:
        # 照护需求评估是3级: the support whose own level label holds it (3-5级…每次4元), not the
        # one before it in the same clause (1-2级…每次2元)
        fitting = [item for item in found if _level_label_holds(item[2].text, level)]
        found = fitting or found
    if matched := _with_matching(found, query.own_match):
        return matched
    # a sum the asker's count of units works out (3个基本展位 of 每增加一个展位…增加1万元) answers
    # before a rate the question shares more words with
    counted = [item for item in found if stepped(item[2], query.own_match)]
    found = counted if len(counted) == 1 else found
    # a share of the grant (拨付补助金额的80%) says how the grant is paid, not what it is
    instalments = [item for item in found if instalment(item[2])]
    found = [item for item in found if not instalment(item[2])] or found
    shared, n, support = max(found, key=lambda item: (item[0], item[1]))
    if shared == 0 and len(found) > 1:
        return None  # several measures, none the question names: quoting is more faithful
    if not _caps_stated(support):
        return None  # 珠三角地区每年最高6000元,其他地区每年最高4000元: one cap alone would mislead
    line = support_sentence(support, query.circumstances, cite=f"[{-n}]", asker=query.own_match,
                            context=cited[-n - 1].clause.text_match)
    return line + _instalment_line(instalments, support, query)


# How askers ask when and how much of a grant is paid (合同完成后先拨多少, 第一笔给多少).
_ASKS_PAID = re.compile(r"先拨|先给|先发|先付|预拨|首笔|第一笔|拨多少|分几次|分批|怎么拨")


def _instalment_line(instalments: list[tuple[int, int, Support]], support: Support,
                     query: Query) -> str:
    """「订货合同完成后,一次性拨付补助金额的80%，即160万元[1]。」 on its own line, when the asker asks
    what is paid first and the grant was worked out from their figures."""
    if not instalments or support in {i[2] for i in instalments} \
            or not _ASKS_PAID.search(query.own_match):
        return ""
    worked = None if support.tiers else figure(support, query.circumstances, query.own_match)
    if worked is None or worked.ratio is None:
        return ""  # paid first of a grant worked from the asker's base, not of a tier's sum
    value = worked.value
    lines = []
    for _, n, paid in instalments:
        ratio = paid.ratio or 0.0
        written = f"{format_number(ratio)}%"
        said = paid.text[: paid.text.index(written) + len(written)] if written in paid.text else paid.text
        lines.append(f"\n{said}，即{total_said(value * ratio / 100)}[{-n}]。")
    return "".join(lines)


# A matching fund (配套) is paid on top of the sum it matches (省级财政给予50万元…福州市…给予
# 1:0.5的配套…25万元): asked what both come to (加上配套一共多少), they add up.
def _with_matching(found: list[tuple[int, int, Support]], asker: str) -> str | None:
    """「50万元+配套25万元，共75万元[1]」 when the asker asks the sum with its matching fund and
    the cited clauses give one fixed sum and one matching fund."""
    if "配套" not in asker or not (ASKS_TOTAL.search(asker) or "加上" in asker):
        return None
    fixed = [(n, f) for _, n, f in found if f.amount is not None and f.ratio is None
             and not f.base and not f.tiers]
    matching = [(n, f) for n, f in fixed if "配套" in f.text]
    matched = [(n, f) for n, f in fixed if "配套" not in f.text]
    if len(matching) != 1 or len(matched) != 1:
        return None
    (n1, base), (n2, extra) = matched[0], matching[0]
    total = (base.amount or 0.0) + (extra.amount or 0.0)
    cite1, cite2 = f"[{-n1}]", f"[{-n2}]"
    cites = cite1 if cite1 == cite2 else cite1 + cite2
    return (f"{format_money(base.amount or 0.0)}+配套{format_money(extra.amount or 0.0)}，"
            f"共{format_money(total)}{cites}。")


_ASKER_LEVEL = re.compile(r"(?:是|达到|评为|评上|属于|为|等级|需求)了?(\d{1,2})级(?!以上|以下|及)|"
                          r"(?<![\d\-－—~至到])(\d{1,2})级的")  # 照护需求4级的老人
_LEVEL_LABEL = re.compile(r"(\d{1,2})(?:级)?\s*[-－—~至到]\s*(\d{1,2})级|(?<![\d\-－—~])(\d{1,2})级")


def _asked_level(asker: str) -> int | None:
    """The numbered level the asker says they are at (评估是3级), when they say one."""
    levels = {int(m.group(1) or m.group(2)) for m in _ASKER_LEVEL.finditer(asker)}
    return levels.pop() if len(levels) == 1 else None


def _level_label_holds(text: str, level: int) -> bool:
    """Whether the last level label of a support's text (the one that qualifies its sum:
    …3-5级补贴标准为每人每次4元) holds ``level``."""
    labels = list(_LEVEL_LABEL.finditer(text))
    if not labels:
        return False
    last = labels[-1]
    if last.group(3) is not None:
        return int(last.group(3)) == level
    return int(last.group(1)) <= level <= int(last.group(2))


def _supports(query: Query, cited: Sequence[Hit]) -> list[tuple[int, int, Support]]:
    """(the length of the question's words it shares, minus its citation number, the support)
    for each support with a figure in the cited clauses."""
    asked = set(query.tokens)
    found: list[tuple[int, int, Support]] = []
    for n, hit in enumerate(cited, start=1):
        for fact in trusted_facts(hit.clause):
            if isinstance(fact, Support) and (fact.amount is not None or fact.ratio is not None
                                              or fact.cap is not None or fact.tiers):
                shared = sum(len(t) for t in asked if t in fact.text)
                found.append((shared, -n, fact))
    return found


# How askers ask what a measure gives: 能拿多少, 能返多少, 一年最多多少, 补几年, 封顶多少, 怎么算.
_ASKS_AMOUNT = re.compile(
    r"(?:拿|补|奖|返|给|发|贴|领|资助|扶持|奖补|减免|抵扣|扣除|扣|报销|支持|贷)[^,，。？?;；]{0,4}?多少|"
    r"多少(?:钱|万|补贴|补助|奖励|资金|奖金|额度)|最(?:多|高)(?:能|可以?)?[^,，。？?;；]{0,4}?多少|"
    r"上限|封顶|怎么算|如何计算|什么标准|按什么标准|标准是多少|"
    r"(?:一共|总共|合计|总计|总额|加起来)(?:能|可以?)?[^,，。？?;；]{0,4}?多少")


def asks_sum(query: Query) -> bool:
    """Whether the asker's words ask how much a measure gives (能拿多少, 最多多少, 封顶)."""
    return bool(_ASKS_AMOUNT.search(query.own_match))


def asks_amount(query: Query) -> bool:
    """Whether the question asks what a measure gives (an amount, a share of a sum, a cap)."""
    return asks_sum(query) or query.intent == "support_measure" \
        or (query.detail is not None and query.detail.name in ("amount", "rate"))


def chinese_date(iso: str | None) -> str | None:
    """``2025-05-27`` → ``2025年5月27日``; None for anything not a whole ISO date."""
    parts = (iso or "").split("-")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return None
    year, month, day = (int(part) for part in parts)
    return f"{year}年{month}月{day}日"


def _standing(record: Mapping[str, Any], status: str, since: str | None = None) -> str:
    if status == "expired":
        return f"已于{chinese_date(record.get('date_expires'))}失效" if record.get("date_expires") \
            else "已失效"
    if status == "repealed":
        when = f"自{since}起" if since else ""
        return f"已{when}被《{to_match(record['repealed_by'])}》废止" if record.get("repealed_by") \
            else "已废止"
    if status == "draft":
        return "为征求意见稿，尚未施行"
    if status == "in_force":
        return "现行有效"
    return ""


def _repealing(record: Mapping[str, Any], records: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The records of the indexed texts that repeal ``record``'s (by the title it names)."""
    by = to_match(record.get("repealed_by") or "")
    return [r for r in records if by and to_match(r.get("title") or "") == by]


def repeal_date(record: Mapping[str, Any], records: Iterable[Mapping[str, Any]]) -> str | None:
    """When the indexed text that repeals ``record`` took effect (its 同时废止 takes effect with
    it), as 2022年11月1日; None when that text or its date is not indexed."""
    repealing = _repealing(record, records)
    if not repealing:
        return None
    return chinese_date(repealing[0].get("date_effective") or repealing[0].get("date_issued"))


def document_name(record: Mapping[str, Any]) -> str:
    """《title》; a page without a title by its issuer, never by its file name."""
    if record.get("title"):
        return f"《{to_match(record['title'])}》"
    issuer = to_match(record.get("issuer") or "")
    return f"{issuer}发布的所引文件" if issuer else "所引文件"


def status_note(record: Mapping[str, Any] | None, today: date,
                records: Iterable[Mapping[str, Any]] = ()) -> str | None:
    """What an answer from a document not in force must say in its first sentence; ``records``:
    every indexed document's, where the repealing text's date is read."""
    if record is None:
        return None
    status = status_now(dict(record), today)
    named = document_name(record)
    if status not in ("expired", "repealed", "draft"):
        if record.get("superseded_by") and (issued := chinese_date(record.get("date_issued"))):
            # a rule the latest version no longer words this way (the rest is cited from it)
            return f"注意：此为{named}{issued}的文本，该文件已有更新的版本"
        return None
    since = repeal_date(record, records) if status == "repealed" else None
    return f"注意：{named}{_standing(record, status, since)}"


def states_validity(sentence: str) -> bool:
    return bool(_VALIDITY_WORDS.search(sentence))


def _states_dates(clause: Clause) -> bool:
    return any(isinstance(f, DateFact) and f.kind in _DATES for f in clause.facts) \
        or bool(_VALIDITY_WORDS.search(clause.text_match))


def validity_line(record: Mapping[str, Any], hits: Sequence[Hit], clauses: Sequence[Clause],
                  today: date) -> tuple[str, Hit] | None:
    """「《X》自2023年9月8日起施行，有效期至2026年9月7日，现行有效[1]。」 from the document's
    dates, citing its clause that states them (a retrieved one first, else any of the
    document's ``clauses``); None when the documents give no date."""
    doc = record["doc_id"]
    effective, expires = chinese_date(record.get("date_effective")), chinese_date(record.get("date_expires"))
    if not effective and not expires:
        return None
    own = [h for h in hits if h.clause.doc_id == doc]
    stating = next((h for h in own if _states_dates(h.clause)), None)
    if stating is None:
        found = next((c for c in clauses if c.doc_id == doc and _states_dates(c)), None)
        stating = Hit(found, 0.0, 0.0, 0.0, 99) if found is not None else (own[0] if own else None)
    if stating is None:
        return None
    parts = []
    if effective:
        parts.append(f"自{effective}起施行")
    if expires:
        parts.append(f"有效期至{expires}" if effective else f"执行至{expires}")
    standing = _standing(record, status_now(dict(record), today))
    if standing:
        parts.append(standing)
    return f"{document_name(record)}{'，'.join(parts)}[1]。", stating


def undated(record: Mapping[str, Any], clauses: Sequence[Clause]) -> bool:
    """Whether nothing tells when the document was issued or how long it holds: its record
    carries no date and none of its clauses states one (a reposted Q&A page, an excerpt)."""
    if any(record.get(key) for key in ("date_issued", "date_published", "date_effective",
                                        "date_expires", "repealed_by")):
        return False
    return not any(c.doc_id == record["doc_id"] and _states_dates(c) for c in clauses)


def repealing_clause(record: Mapping[str, Any], records: Mapping[str, Mapping[str, Any]],
                     clauses: Sequence[Clause]) -> Clause | None:
    """The clause of the indexed text that repeals ``record``'s document (本条例自…起施行。《X》
    同时废止): it says from when the repeal holds."""
    title = to_match(record.get("title") or "")
    docs = {other["doc_id"] for other in _repealing(record, records.values())} if title else set()
    if not docs:
        return None
    return next((c for c in clauses if c.doc_id in docs and f"《{title}》" in c.text_match
                 and "废止" in c.text_match), None)
