"""Qualitative eligibility: a situation the asker states, held against one sentence of a clause.

Rules of the genre of Chinese policy text, each read on every sentence (a failed one decides):

- ``exclusion``: what the sentence rules out (…的,不予奖励; X除外; 除X之外; 不列入; 有下列情形之一的,
  不得…) against the situation told: in it → ``not_met``, told as absent (没有被列入…) → ``met``;
  the rest of the sentence is read without those words;
- ``duplicate``: 不重复/只能享受一项 against 已经拿了…;
- ``membership``: 纳入/列入…库/名单/计划 against 没进…库 (``not_met``) or 已纳入…计划 (``met``);
- ``requirement``: 须具有/拥有/取得 X against 没有X (``not_met``) or 有X (``met``);
- ``commitment`` and ``window`` (``service.windows``): 承诺N年内不迁离 against a stated move;
  a dated window against the asker's dates of the same event;
- ``threshold``: any numeric bound (``service.bounds``);
- only when none of these decides, ``category``/``condition``: who or what situation a sentence
  grants something to (凡…, 适用于, 是指, 可以…, 享受…) against 我们是X or the situation told.

The situation is the question without its asking phrases (``question.circumstances.situation``);
the asker's words are read as official ones (``service.terms``). A sentence no rule decides is
``unknown``. The figures of ``corpus.facts`` conditions are checked
by ``service.eligibility``; this module reads the sentence itself, for what facts do not type.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from corpus.clean import to_match
from question.circumstances import situation
from service import windows
from service.bounds import check_bounds, share_of_total
from service.terms import official, shared, terms, weight

Status = Literal["met", "not_met", "unknown"]


@dataclass(frozen=True)
class TextCheck:
    status: Status
    rule: str = ""  # exclusion | duplicate | membership | requirement | commitment | window |
    # threshold | category | condition
    required: str = ""  # the clause's words that decide it
    stated: str = ""  # the asker's words it was held against


UNKNOWN = TextCheck("unknown")
_SENTENCE = re.compile(r"[^。;；!！?？\n]+")
_PHRASE = re.compile(r"[^,，、:：]+")

# ------------------------------------------------------------------ no second award
_ONCE = re.compile(r"不(?:得|再|予)?重复|只能享受(?:一|1)(?:次|项)|限享受(?:一|1)次|就高|不(?:可|得|予)?叠加|"
                   r"(?:不|不得|不能)同时享受")
_HAD = re.compile(r"(?:已经|已|之前|去年|今年|前年|曾|曾经)[^,;。]{0,6}?(?:获得|享受|申请到|申报过|获批)"
                  r"(?P<what>[^,;。]{0,20})")


def _duplicate(sentence: str, told: str) -> TextCheck | None:
    """同一企业同一年度只能享受一项市级奖励, 已获得…支持的不得重复申报 against 已经拿了…奖励."""
    m = _ONCE.search(sentence)
    if not m:
        return None
    had = _HAD.search(official(told))
    if not had:
        return None
    return TextCheck("not_met", "duplicate", sentence, had.group(0))


# ------------------------------------------------------------------ exclusion
_CUE = re.compile(r"(?:一律|均|则|将)?(?:不予|不得(?!低于|少于|超过|高于|迟于|晚于|早于)|不再|不能|不可|不列入|"
                  r"不纳入|不属于|不享受|不给予|不支持|不受理|不适用|不在[^,;。]{0,8}范围|取消|撤销[^,;。]{0,4}资格|"
                  r"追回|收回|退还|暂停|无权|禁止)")
_EXCEPT = re.compile(r"(?:^|[,(])(?P<x>[^,(;。]{2,40}?)除外|除(?P<y>[^,;。]{2,40}?)(?:之外|以外)|"
                     r"(?:不包括|不含)(?P<z>[\u4e00-\u9fff][^,;。)]{1,30})")
_CONDITIONAL = re.compile(r"(?:的|者|的企业|的单位|的项目|的人员|的个人)$")
_LIST_OF_EXCLUSIONS = re.compile(r"(?:下列|以下|如下)[^,;。:]{0,8}?(?:之一)?的?[,:]?[^,;。:]{0,6}?" + _CUE.pattern)


_CLAUSE_PART = re.compile(r"[^,，:：]+")


def _excluded(sentence: str) -> str | None:
    """What the sentence rules out, in its own words (None when it rules nothing out): X of
    X除外 / 除X之外 / 不包括X; else, at the sentence's last cue (…的企业,三年内不得再次申报), the
    words before it in its phrase, or the conditional phrase before that (…的,), or the words
    after it (不得将职称、论文作为限制性条件)."""
    if m := _EXCEPT.search(sentence):
        return m.group("x") or m.group("y") or m.group("z")
    cues = list(_CUE.finditer(sentence))
    if not cues:
        return None
    cue = cues[-1]
    phrases = list(_CLAUSE_PART.finditer(sentence))
    here = next(i for i, p in enumerate(phrases) if p.start() <= cue.start() < p.end())
    head = sentence[phrases[here].start():cue.start()]
    if weight(shared(head, head)) >= 2:
        return head
    if here > 0 and _CONDITIONAL.search(phrases[here - 1].group(0)):
        return phrases[here - 1].group(0) + head
    tail = sentence[cue.end():phrases[here].end()]
    return tail if weight(shared(tail, tail)) >= 2 else None


_NEGATOR = re.compile(r"(?:没|未|不|无|非|没有|从未|并未|从没)[^,;。]{0,4}$")


def _negated(told: str, words: set[str]) -> bool:
    said = official(told)
    hits = [i for t in words for i in [said.find(t)] if i >= 0]
    negated = [i for i in hits if _NEGATOR.search(said[max(0, i - 6):i])]
    return bool(hits) and len(negated) * 2 > len(hits)


_LACKING = re.compile(r"(?:不|未|无|没有)(?:符合|具备|具有|取得|满足|达到)")


def _exclusion(sentence: str, told: str, question: str, listed: bool) -> tuple[TextCheck | None, str]:
    """(the verdict of what the sentence rules out, those words); (None, "") when it rules
    nothing out, (None, words) when the situation does not touch them."""
    absent = _ABSENT.search(sentence)
    if not listed and absent and absent.group("other") and _EXEMPT.search(sentence[:absent.start("x")]):
        return None, ""  # 除住房贷款…以外,应没有其他贷款: exempt from a requirement (_absence), not ruled out
    excluded = sentence if listed else _excluded(sentence)
    if not excluded:
        return None, ""
    common = shared(excluded, told)
    if weight(common) < 1.5:
        return None, excluded
    stated = _span(told, common)
    if _LACKING.match(re.sub(r"^\(?[一二三四五六七八九十\d]+[)、.]", "", excluded)):
        # 不符合X条件的 rules out those who lack X: told as lacking it, the asker is among
        # them; told as holding something of X (办了X营业执照), nothing is decided
        if _negated(told, common) or _LACKING.search(official(told)):
            return TextCheck("not_met", "exclusion", excluded, stated), excluded
        return None, excluded
    if _negated(told, common):
        return TextCheck("met", "exclusion", excluded, stated), excluded
    inside, _, _ = check_bounds(excluded, question)  # 执行期满未逾5年 against 3年前刑满
    if inside == "not_met":
        return TextCheck("met", "exclusion", excluded, stated), excluded
    return TextCheck("not_met", "exclusion", excluded, stated), excluded


def _span(told: str, words: set[str]) -> str:
    """The phrase of the asker's words that holds most of ``words``."""
    said = official(told)
    phrases = [p.group(0) for p in _PHRASE.finditer(said)] or [said]
    return max(phrases, key=lambda p: sum(t in p for t in words))


# ------------------------------------------------------------------ absence
# 本人及其配偶应没有其他贷款 (除住房贷款…以外): what the asker must not have, and what is exempt.
_ABSENT = re.compile(r"(?P<who>[\u4e00-\u9fff]{0,8}?)(?:应|须|必须|需)?(?:没有|无|未有|不得有)"
                     r"(?P<other>其他|其它|任何)?(?P<x>[\u4e00-\u9fff]{2,6}?)(?=[,;。)、]|$)")
_EXEMPT = re.compile(r"除(?P<y>[^;。]{2,80}?)(?:之外|以外|外)")
_SETTLED = re.compile(r"(?<![没未])(?:已经?|早就?)?(?:还清|还完|结清|付清)(?!.*[没未])")
# The one asked for (想申请个人创业担保贷款) is not one the asker holds.
_APPLYING = re.compile(r"(?:申请|申报|办理|想贷|要贷|准备贷)[^,，。;；]{0,10}$")
_SPOUSE = re.compile(r"老婆|妻子|老公|丈夫|爱人|配偶|家属")


def _held(told: str, x: str) -> list[str]:
    """The asker's phrases that say they hold an ``x`` (a loan: 贷款, said 房贷/经营贷 too),
    not negated (没有贷款) nor settled (已还清)."""
    word = re.escape(x) if not x.endswith("款") else f"{re.escape(x[0])}(?:{re.escape(x[1:])})?"
    if len(x) == 4 and not x.endswith("款"):  # 重大违法 said with a word inside: 重大环保违法
        word = rf"{re.escape(x[:2])}[\u4e00-\u9fff]{{0,4}}?{re.escape(x[2:])}"
    out = []
    for p in _PHRASE.finditer(official(told)):
        phrase = p.group(0)
        m = re.search(rf"(?P<w>[\u4e00-\u9fff]{{0,4}}?)(?:{word})", phrase)
        if m and not _NEGATOR.search(phrase[max(0, m.start() - 6):m.start("w") + 2]) \
                and not _SETTLED.search(phrase) and not _APPLYING.search(phrase[:m.start("w") + 2]):
            out.append(phrase)
    return out


def _absence(sentence: str, told: str) -> TextCheck | None:
    """应没有其他贷款 (除住房贷款、购车贷款以外) against 老婆名下还有一笔经营贷: held and not exempt →
    ``not_met``; told as none (没有贷款) → ``met``."""
    m = _ABSENT.search(sentence)
    if not m:
        return None
    x = m.group("x")
    exempt = _EXEMPT.search(sentence[:m.start("x")])
    exempt_terms = terms(exempt.group("y")) - {x} if exempt and m.group("other") else set()
    spouse_counts = bool(re.search(r"配偶|家庭|夫妻", m.group("who") + sentence[:m.start()]))
    held = [p for p in _held(told, x) if not terms(p) & exempt_terms
            and (spouse_counts or not _SPOUSE.search(p))]
    if held:
        phrase = max(sentence.rfind(c, 0, m.start("x")) for c in ",;:(") + 1  # 最近3年内没有重大违法
        return TextCheck("not_met", "requirement", sentence[phrase:m.end()], held[0])
    if re.search(rf"(?:没有|无|没)(?:任何|其他)?{re.escape(x)}", official(told)):
        return TextCheck("met", "requirement", m.group(0), x)
    return None


def _phrase_at(text: str, at: int) -> str:
    """The phrase of ``text`` (between commas) that holds position ``at``: what the asker said."""
    return next((p.group(0) for p in _PHRASE.finditer(text) if p.start() <= at < p.end()), "")


# ------------------------------------------------------------------ a place a scope takes in
# 在深圳市内(含深汕特别合作区,下同)依法登记注册, 本市行政区域内(含临港新片区): a place the scope
# names as included, where the sentence is about where one is registered or located.
_INCLUDES = re.compile(r"[(（]含(?P<x>[\u4e00-\u9fff]{2,16}?)(?:[,，、)）]|下同)")
_LOCATED_WORDS = re.compile(r"注册|登记|所在地|实施地|行政区域|辖区|市内|区内|县内|境内")


def _included_place(sentence: str, told: str) -> TextCheck | None:
    """注册在深汕特别合作区 against 在深圳市内(含深汕特别合作区)依法登记注册: met."""
    if not _LOCATED_WORDS.search(sentence):
        return None
    for m in _INCLUDES.finditer(sentence):
        place = m.group("x")
        stem = re.sub(r"(?:合作区|片区|新区|开发区|高新区|园区|示范区|区|县|市)$", "", place)
        if len(stem) >= 2 and stem in told:
            scope = re.sub(r"^[(（]?[一二三四五六七八九十\d]+[)）、.]", "", sentence[:m.start()])
            return TextCheck("met", "place", f"{scope}（含{place}）", _phrase_at(told, told.find(stem)))
    return None


# ------------------------------------------------------------------ premises not one's own
# 租赁非本人名下场地, 相关场地非法定代表人或经营者自有物业: a rent subsidy is for premises the
# applicant does not own.
_NOT_OWN = re.compile(r"非(?:本人|申请人|法定代表人|[^,;。]{0,12}?(?:经营者|负责人))?[^,;。]{0,4}?(?:名下|自有)")
_OWNS = re.compile(r"(?:自己|本人|我|自家|自有)(?:的)?(?:名下|房子|房产|物业|厂房|铺面|门面)|"
                   r"(?:名下|自有|自己的)(?:的)?(?:房子|房产|物业|厂房|铺面|门面|场地)|自有(?:房|物业)")
_RENTS = re.compile(r"租(?:的|了|来|用|赁)")


def _own_premises(sentence: str, told: str) -> TextCheck | None:
    """铺面是我自己名下的房子 against 租赁非本人名下场地: not met; 租的铺面不是我的: met."""
    m = _NOT_OWN.search(sentence)
    if not m:
        return None
    phrase = max(sentence.rfind(c, 0, m.start()) for c in ",;:(") + 1
    tail = re.match(r"[\u4e00-\u9fff]{0,4}", sentence[m.end():])
    required = sentence[phrase:m.end() + (tail.end() if tail else 0)]  # 租赁非本人名下场地

    if (own := _OWNS.search(told)) and not _NEGATOR.search(told[max(0, own.start() - 4):own.start() + 2]):
        return TextCheck("not_met", "requirement", required, _phrase_at(told, own.start()))
    if rents := _RENTS.search(told):
        return TextCheck("met", "requirement", required, _phrase_at(told, rents.start()))
    return None


# ------------------------------------------------------------------ which law applies
# 台湾地区投资者在大陆投资,适用《台湾同胞投资保护法》 against 我是台湾居民…是不是适用外商投资法
_APPLIES = re.compile(r"(?P<who>[^,;。]{2,24}?)(?:在[^,;。]{1,12})?,?(?:适用|依照|按照)《(?P<law>[^》]{2,40})》")
_ASKED_LAW = re.compile(r"适用(?:于)?《?(?P<law>[\u4e00-\u9fff]{2,16}?(?:法|条例|规定|办法))》?")


def _applicable(sentence: str, told: str, question: str) -> TextCheck | None:
    """The law a sentence applies to whom, against the law the asker asks about: the asker
    among whom (shared words beyond those of the law asked) and another law asked → ``not_met``;
    the same law → ``met``."""
    m, asked = _APPLIES.search(sentence), _ASKED_LAW.search(question)
    if not m or not asked:
        return None
    asked_law, law = asked.group("law"), m.group("law")
    held = asked_law in law or law.endswith(asked_law.removeprefix("中华人民共和国"))
    common = shared(m.group("who"), told.replace(asked_law, ""))
    if not held:  # 外商投资法 asked: 投资 does not make the asker one of 台湾地区投资者
        common -= terms(asked_law)
    if weight(common) < 1:
        return None
    return TextCheck("met" if held else "not_met", "category", m.group(0), _span(told, common))


# ------------------------------------------------------------------ membership, requirement
_LISTS = r"库|名单|名录|目录|计划|清单|培育对象"
_MEMBER = re.compile(rf"(?:纳入|列入|进入|入选|录入|入围)(?P<list>[^,;。]{{0,24}}?(?:{_LISTS}))")
_NOT_MEMBER = re.compile(rf"(?:没|未|还没|没有|不在|尚未|并未)[^,;。]{{0,4}}?(?:纳入|进|入|在|列入)"
                         rf"[^,;。]{{0,12}}?(?P<list>{_LISTS})")
_IS_MEMBER = re.compile(rf"(?:纳入|入了|进了|列入|入选|入库)[^,;。]{{0,12}}?(?P<list>{_LISTS})")


def _membership(sentence: str, told: str) -> TextCheck | None:
    m = _MEMBER.search(sentence)
    if not m or re.search(r"(?:未|不|没有|被)$", sentence[max(0, m.start() - 2):m.start()]):
        return None
    said = official(told)
    kind = re.search(_LISTS, m.group("list"))
    for pattern, status in ((_NOT_MEMBER, "not_met"), (_IS_MEMBER, "met")):
        for s in pattern.finditer(said):
            if kind and s.group("list") == kind.group(0):
                return TextCheck(status, "membership", m.group(0), s.group(0))  # type: ignore[arg-type]
    return None


# 具备条件的企事业单位 ("qualified units") names whom, it requires nothing of the asker
_NEEDS = re.compile(r"(?:须|应|必须|需|需要|要)?(?:具有|具备|拥有|取得|持有)(?!(?:相应|相关|一定)?(?:条件|资格|能力)的)"
                    r"(?P<x>[^,;。]{2,30})")
_LACKS = re.compile(r"(?:没有|没|无|未取得|不具备|缺少|缺)(?P<y>[^,;。]{2,12})")
_HAS = re.compile(r"(?:有|拥有|取得了|已取得|具备|持有)(?P<y>[^,;。]{2,12})")


def _requirement(sentence: str, told: str) -> TextCheck | None:
    need = _NEEDS.search(sentence)
    if not need:
        return None
    said = official(told)
    for pattern, status, least in ((_LACKS, "not_met", 1.0), (_HAS, "met", 2.0)):
        for m in pattern.finditer(said):
            if weight(shared(need.group("x"), m.group("y"))) >= least:
                return TextCheck(status, "requirement", need.group(0), m.group(0))  # type: ignore[arg-type]
    return None


# ------------------------------------------------------------------ who and what a sentence grants
_GRANTS = re.compile(r"凡|适用于|对象为|对象是|对象包括|包括|是指|所称|"
                     r"参照(?:本(?:办法|条例|规定|细则|措施|政策|通知))?(?:执行|实施|适用)|可以|可|享受|"
                     r"给予|予以|支持|不受影响|不影响|视为|认定为|属于")
_IDENTITY = re.compile(r"(?:我|我们|本人|公司|企业|单位)(?:是|为|属于|作为)(?:一名|一个|一家|家|个|名)?"
                       r"(?P<id>[^,;。]{2,16})|作为(?P<as>[^,;。]{2,12})")


def _polarity(text: str, words: set[str]) -> list[bool]:
    out = []
    for t in words:
        i = text.find(t)
        if i >= 0:
            out.append(bool(_NEGATOR.search(text[max(0, i - 6):i])))
    return out


_PERMITS = re.compile(r"可以|准予|允许|有权")


def _granted(sentence: str, told: str, listed: bool = False, asked: str = "") -> TextCheck | None:
    """The asker is who (or in the situation that) a sentence grants something to: 凡…退役军人…,
    对设立后未开展经营活动或者无债权债务的市场主体,可以按照简易程序办理注销 (with the same
    polarity: 没开展业务, 没有债权债务)."""
    if not listed and not _GRANTS.search(sentence):
        return None
    said = official(told)
    # what the asker asks to do (能担任…主持人吗), the question without their situation
    told_parts = set(re.split(r"[,，。;；?？!！]", told))
    asking = "，".join(p for p in re.split(r"[,，。;；?？!！]", asked) if p and p not in told_parts)
    wanted = weight(shared(sentence, asking)) if asked else 0.0
    for m in _IDENTITY.finditer(said):
        who = m.group("id") or m.group("as")
        named = weight(shared(sentence, who))
        # who they are, or part of it with the very thing they ask (外籍研究员 asking to 担任重大
        # 科研项目主持人, against 外籍创新人才可以…担任…重大科研项目主持人)
        if named >= 2 or (named >= 1 and wanted >= 3 and _PERMITS.search(sentence)):
            return TextCheck("met", "category", sentence, m.group(0))
    common = shared(sentence, told)
    if weight(common) < 2.5:
        return None
    theirs, ours = _polarity(sentence, common), _polarity(said, common)
    differ = sum(a != b for a, b in zip(theirs, ours, strict=False))
    status: Status = "not_met" if differ * 2 > len(common) else "met"
    return TextCheck(status, "condition", sentence, _span(told, common))


_DEFINED = re.compile(r"(?:^|[,:])(?:其中,)?(?:本办法|本条例|本规定|本细则|本政策|本通知)?(?:所称的?)?"
                      r"(?P<x>[\u4e00-\u9fff]{2,12}?),?(?:是指|系指|指)")


def _defines(sentence: str) -> str | None:
    m = _DEFINED.search(sentence)
    return m.group("x") if m else None


# ------------------------------------------------------------------ the rules together
def check_text(sentence: str, question: str, *, listed: bool = False,
               included: bool = False) -> TextCheck:
    """One clause sentence against a question (both matching form). ``listed``: the sentence is
    an item of a list the clause rules out (有下列情形之一的,不得…); ``included``: an item of a
    list it grants or defines (包括下列情形, 符合下列条件)."""
    told = situation(question)
    excluded_check, excluded = _exclusion(sentence, told, question, listed)
    # the rest of the sentence, without what it rules out (its numbers are not requirements)
    rest = sentence.replace(excluded, "，") if excluded else sentence
    found = [excluded_check, _included_place(sentence, told), _own_premises(sentence, told),
             _duplicate(sentence, told),
             _absence(sentence, told),
             _applicable(sentence, told, question),
             _membership(rest, told),
             _requirement(rest, told)]
    for rule, result in (("commitment", windows.commitment(rest, told)),
                         ("window", windows.window(rest, question)),
                         ("threshold", check_bounds(rest, question) if rest.strip("，") else None),
                         ("threshold", share_of_total(rest, question))):
        if result is not None and result[0] != "unknown":
            found.append(TextCheck(result[0], rule, result[1], result[2]))  # type: ignore[arg-type]
    decided = [f for f in found if f is not None and f.status != "unknown"]
    if not decided and rest.strip("，"):
        granted = _granted(rest, told, included, question)
        decided = [granted] if granted else []
    failing = [f for f in decided if f.status == "not_met"]
    return failing[0] if failing else decided[0] if decided else UNKNOWN


_LIST_OF_INCLUSIONS = re.compile(r"(?:包括|符合|具备|属于|具有)(?:(?:下列|以下|如下)[^,;。:]{0,6}(?:情形|情况|"
                                 r"条件|资产|对象|人员|企业|项目)|:)")
_ARTICLE = re.compile(r"^第[一二三四五六七八九十百零\d]+条")
# A sentence that widens who a definition covers (超过35周岁不满45周岁的…参照适用本条例).
_EXTENDS = re.compile(r"参照(?:适用|执行|实施)|同样适用|也(?:可以|可)|亦可|视同")


# An item that opens with whom it is for: (一)工业企业,…; (二)其他企业,…
_BAND = re.compile(r"^\(?[一二三四五六七八九十\d]+[)、.]\s*(?P<who>[\u4e00-\u9fff]{2,12}?"
                   r"(?:企业|单位|机构|组织|人员|人才|个人|家庭|项目))[,:]")


def _bands(sentences: list[str]) -> dict[str, str]:
    """Items that are alternatives by category, sentence → category: a list whose items each
    open with a category, one of them 其他…, sets each category its own conditions."""
    found = {s: m.group("who") for s in sentences if (m := _BAND.match(s))}
    if len(found) < 2 or not any(who.startswith("其他") for who in found.values()):
        return {}
    return found


def _band_kept(bands: dict[str, str], question: str) -> set[str]:
    """The bands that judge the asker: the one whose category the asker names (我们是工业企业);
    else, the asker's figures held against each, a band none of whose read conditions fails
    (the asker qualifies under it); else all of them (they fail every band)."""
    if not bands:
        return set()
    told = situation(question)
    named = {s for s, who in bands.items() if not who.startswith("其他") and who in official(told)}
    if named:
        return named
    passing = set()
    for sentence in bands:
        found = check_text(sentence, question, included=True)
        if found.status == "met":
            passing.add(sentence)
    return passing or set(bands)


def check_clause(clause_text: str, question: str) -> list[TextCheck]:
    """Every sentence of a clause that a rule decides, in order. A sentence that widens a
    definition and is met overrides the numeric bounds of the clause the asker fails."""
    text, asked = to_match(clause_text), to_match(question)
    excluding = bool(_LIST_OF_EXCLUSIONS.search(text))
    including = bool(_LIST_OF_INCLUSIONS.search(text))
    sentences = [_ARTICLE.sub("", m.group(0).strip()) for m in _SENTENCE.finditer(text)]
    # A clause that defines several terms (港澳青年创业团队是指…; 港澳青年企业是指…): when the
    # question names some of them, the definitions of the others do not judge it.
    defined = {x for x in map(_defines, sentences) if x}
    named = {x for x in defined if x in asked or x in official(asked)}
    out: list[tuple[TextCheck, bool]] = []
    bands = _bands(sentences)
    kept = _band_kept(bands, asked)
    for sentence in sentences:
        if sentence in bands and sentence not in kept:
            continue
        if len(sentence) < 4 or (named and (_defines(sentence) or "") in defined - named):
            continue
        header = _LIST_OF_EXCLUSIONS.search(sentence) or _LIST_OF_INCLUSIONS.search(sentence)
        item = bool(re.match(r"\(?[一二三四五六七八九十\d]+[)、.]", sentence)) and not header
        found = check_text(sentence, asked, listed=excluding and item,
                           included=including and item and not excluding)
        if found.status != "unknown":
            # widened to whom: the asker must be among them (从事…新能源…领域 against 做新能源电池)
            widens = bool(_EXTENDS.search(sentence)) and weight(shared(sentence, situation(asked))) >= 1.5
            out.append((found, widens))
    if any(found.status == "met" and widens for found, widens in out):
        return [f for f, _ in out if not (f.status == "not_met" and f.rule == "threshold")]
    return [f for f, _ in out]
