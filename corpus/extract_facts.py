"""One clause's text → its typed facts (``corpus/facts.py``), by rules of official-document language.

Owns the reading order: sentence by sentence, the quantities and what role they play
(conditions, ``amounts.py``; support, ``support.py``), dates (申报时间为…至…, …前报送, 自…起施行,
有效期N年, ``validity.py``), then over the whole clause the offices with their roles (the
责任单位 logic of ``clauses.py`` plus 受理/咨询 fields and verbs), material lists and contacts.
The text is the clause's matching form (simplified, NFKC). Every rule is a pattern of the genre;
none names a document. Vocabulary is data (``data/facts.json``, ``fact_words.py``).
"""

from __future__ import annotations

import re
from functools import lru_cache

from corpus.amounts import classify, conditions, quantities
from corpus.clauses import ORG_END, office_roles, split_names
from corpus.fact_words import alternation, vocab
from corpus.facts import Contact, DateFact, Fact, Material, Office
from corpus.quantities import dates
from corpus.support import clause_kind, supports
from corpus.validity import validity_dates

_SENTENCE = re.compile(r"[^。!?\n]+")
_ONCE_FIELD = re.compile(r"(?:期限|方式|标准)[:]\s*一次性")


def extract_facts(text: str) -> tuple[Fact, ...]:
    """The facts one clause states, in reading order, each once."""
    facts: list[Fact] = []
    once = bool(_ONCE_FIELD.search(text))
    kind = clause_kind(text)
    for m in _SENTENCE.finditer(text):
        sentence = m.group(0)
        found = quantities(sentence)
        roles = classify(sentence, found)
        facts += conditions(sentence, roles)
        facts += supports(sentence, roles, once, kind)
        facts += _dates(sentence)
    facts += _offices(text)
    facts += _materials(text)
    facts += _contacts(text)
    return tuple(dict.fromkeys(facts))


# ---------------------------------------------------------------- dates

_APPLY = re.compile(r"申报|申请|受理|报名|报送|征集|申领|兑现|提交|递交|推荐|征求意见|反馈")
_JOIN = re.compile(r"^\s*(?:\(\S{1,3}\))?\s*(?:起)?\s*(?:至|到|-|—|–|~|～)\s*$")
_BEFORE_DATE = re.compile(r"(?:截止|截至|截止日期|截止时间|截止到)(?:为|是|:)?\s*$")
_AFTER_DATE = re.compile(r"^\s*(?:\(\S{1,3}\))?\s*(?:\d{1,2}:\d{2})?\s*(?:前|之前|以前|为止|止|截止)")
_SINCE_TODAY = re.compile(r"(?:即日|发布之日|印发之日|公布之日|通知发布之日)起?(?:至|到)\s*$")


def _dates(sentence: str) -> list[DateFact]:
    out = [DateFact(kind, value, end, span, years=years)
           for kind, value, end, years, span in validity_dates(sentence)]
    if out or not _APPLY.search(sentence):
        return out
    spans = dates(sentence)
    used: set[int] = set()
    for i, d in enumerate(spans):
        if i in used:
            continue
        nxt = spans[i + 1] if i + 1 < len(spans) else None
        if nxt and _JOIN.match(sentence[d.end:nxt.start]):
            out.append(DateFact("申报时间窗", d.first, nxt.last, sentence[d.start:nxt.end]))
            used.add(i + 1)
        elif _SINCE_TODAY.search(sentence[max(0, d.start - 12):d.start]):
            out.append(DateFact("申报时间窗", None, d.last, sentence[max(0, d.start - 12):d.end]))
        elif _BEFORE_DATE.search(sentence[max(0, d.start - 8):d.start]) or \
                _AFTER_DATE.match(sentence[d.end:d.end + 10]):
            if re.match(r"^\s*(?:底|末)?[,,]?(?:全市|全省|全区|累计|已|共)", sentence[d.end:d.end + 6]):
                continue  # 截至2023年底,全市已…: a statistic's date, not a deadline
            out.append(DateFact("截止", d.last, None, sentence[max(0, d.start - 4):d.end + 3]))
    return out


# ---------------------------------------------------------------- offices

_ORG = rf"[\u4e00-\u9fff()]{{2,24}}?(?:{ORG_END}|部门|机构|银行|窗口|大厅)"
_ORGS = rf"{_ORG}(?:、{_ORG})*"
_OFFICE_VERBS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"向(?P<o>{_ORGS})(?:提出|提交|申报|报送|递交|申请|报名|备案)"), "受理"),
    (re.compile(rf"(?:提交|报送|递交|寄送|送交)[^,;。]{{0,14}}?(?:至|到|给)(?P<o>{_ORGS})"), "受理"),
    (re.compile(rf"到(?P<o>{_ORGS})(?:进行|办理)?(?:备案|申请|申报|办理)"), "受理"),
    (re.compile(rf"由(?P<o>{_ORGS})(?:负责)?(?:受理|办理)"), "受理"),
    (re.compile(rf"向(?P<o>{_ORGS})咨询"), "咨询"),
    (re.compile(rf"由(?P<o>{_ORGS})(?:联合|共同|统一|组织|负责|会同[^,;。]{{0,12}}?)"
                r"(?:审核|认定|审批|兑现|拨付|解释|实施|评审|复核|管理|组织|负责)"), "责任"),
    (re.compile(rf"(?:^|[,;:(])(?P<o>{_ORGS})配合"), "配合"),
]
# A named office: a place or level before the department (市商务局, 所在地人社部门, 国务院…).
_PLACED = re.compile(r"^(?:[市区县省州镇乡]|街道|所在地|属地|当地|国家|国务院|中国|自治区|各?(?:县|区|市)\(|"
                     r"[\u4e00-\u9fff]{2,8}?(?:省|市|区|县|州|盟|旗|新区|开发区|高新区|园区))")
_GENERIC = re.compile(r"^(?:有关|相关|其他|其|各级?|该|上述|同级|本级|主管|行政|所属|本|我|县级以上|"
                      r"省级以上|市级以上|负责|申请|企业|项目)|的|有关|相关|等")


@lru_cache(maxsize=1)
def _office_label() -> re.Pattern[str]:
    labels = vocab()["office_labels"]
    return re.compile(rf"(?P<label>{alternation(list(labels))})\s*(?::\s*\n?|\n)(?P<v>[^;。\n]+)")


def _office_names(chunk: str) -> list[str]:
    names = []
    for raw in split_names(chunk):
        name = re.sub(r"^(?:由|向|到|经)|[(（]?(?:牵头|配合)[)）]?$|(?:等部门|等单位|等)$", "",
                      raw.strip(" )"))
        if 2 <= len(name) <= 30 and not re.search(r"[\d:@]|电话|地址", name) \
                and name.count("(") == name.count(")") \
                and not _GENERIC.search(name):
            names.append(name)
    return names


def _offices(text: str) -> list[Office]:
    found: dict[str, str] = {name: role for name, role in office_roles(text)
                             if name.count("(") == name.count(")")}
    labels = vocab()["office_labels"]
    for m in _office_label().finditer(text):
        for name in _office_names(m.group("v")):
            found.setdefault(name, labels[m.group("label")])
    for pattern, role in _OFFICE_VERBS:
        for m in pattern.finditer(text):
            for name in _office_names(m.group("o")):
                if not _PLACED.search(name):
                    continue  # 商务主管部门 alone names no office a reader can find
                found.setdefault(name, role)
    return [Office(name, role) for name, role in found.items()]


# ---------------------------------------------------------------- materials

_MATERIAL_HEAD = re.compile(
    r"(?:申报|申请|提交|报送|提供|所需|需要|准备|携带|附送|附报)[^,;。:\n]{0,8}?"
    r"(?:材料|资料|要件)(?:清单|目录|要求)?(?:包括|如下|有)?(?::|如下|包括)\s*|"
    r"(?:应当?|须|需要?|必须)(?:向[^,;。:]{2,20})?(?:提交|提供|报送|携带)(?:下列|以下|如下)?(?:材料|资料)?[:]?")
_ITEM_MARK = re.compile(r"^\s*(?:\(?\d{1,2}[).、．]|[①-⑳]|\([一二三四五六七八九十]{1,3}\)|[一二三四五六七八九十]{1,3}、|\d{1,2}(?=[\u4e00-\u9fff]))\s*")
_DOCUMENT_NOUN = re.compile(r"表|书|证|复印件|原件|协议|报告|材料|文件|执照|合同|发票|凭证|清单|说明|照片|"
                            r"资料|证明|函|报表|方案|名单|记录|承诺|意见|计划|明细|单|章程|图|台账|扫描件|票据|账单")


def _clean_item(item: str) -> str:
    item = re.sub(r"^[\s,;。.:]+|[\s,;。.:]+$", "", _ITEM_MARK.sub("", item))
    return re.sub(r"^(?:及|和|以及|并提供|并提交|并附|另附|同时提供)", "", item)


def _materials(text: str) -> list[Material]:
    """Items of a material list: after 申报材料:/应提交下列材料: on the lines that follow, or
    inline after 应提交… up to the sentence end; items split at 、; never inside parentheses."""
    chunks: list[str] = []
    listing = False  # the lines after a heading that ends the line are its items
    for line in text.split("\n"):
        segments = re.split(r"[;。]", line)
        heads = [(seg, _MATERIAL_HEAD.search(seg)) for seg in segments]
        if listing:
            chunks += [c for seg, head in heads if head is None for c in split_names(seg)]
        for seg, head in heads:
            if head is not None and seg[head.end():].strip():
                chunks += split_names(seg[head.end():])
        last = next((h for _, h in reversed(heads) if h is not None), None)
        if last is not None and not line[last.end():].strip(" ;。") and \
                (line.rstrip().endswith((":", "如下", "包括")) or last.group(0).rstrip().endswith(":")):
            listing = True
    items = [_clean_item(c) for c in chunks]
    return [Material(item) for item in dict.fromkeys(items)
            if 2 <= len(item) <= 80 and _DOCUMENT_NOUN.search(item) and not item.startswith("的")
            and not re.search(r"应当|不得|审核后|之日起|[,]", item)]


# ---------------------------------------------------------------- contacts

_PHONE = re.compile(r"(?<![\d-])(?:\(?0\d{2,3}\)?[-—]?)?[2-9]\d{6,7}(?:[-转]\d{1,5})?(?![\d])|"
                    r"(?<!\d)1[3-9]\d{9}(?!\d)|(?<!\d)400-?\d{3}-?\d{4}(?!\d)|(?<![\d-])12\d{3}(?![\d-])")
_AREA_PHONE = re.compile(r"(?<![\d-])\(?0\d{2,3}\)?-[2-9]\d{6,7}(?!\d)")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_URL = re.compile(r"(?:https?://|www\.)[A-Za-z0-9./_?=&%#:~+-]+[A-Za-z0-9/]")
_URL_CONTEXT = re.compile(r"网址|网站|官网|平台|系统|登录|登陆|访问|浏览|下载|详见|申报|填报|链接|入口|门户")
_ASSET = re.compile(r"\.(?:js|css|swf|png|jpe?g|gif|ico|svg|htc)(?:\?|$)|/api/|login|logout|redirect", re.I)
_PLACE_WORD = re.compile(r"路|街|号|楼|室|层|大厦|中心|大道|巷|弄|村|镇|广场|园|座|栋|窗口")
_NOT_NAME = re.compile(r"姓名|电话|联系|工作|部门|职务|方式|地址|邮箱|传真|单位|科室|手机")


@lru_cache(maxsize=1)
def _contact_label() -> tuple[re.Pattern[str], dict[str, str]]:
    kinds = {w: k for k, words in vocab()["contact_labels"].items() for w in words}
    stoppers = list(kinds) + list(vocab()["office_labels"]) + ["邮编", "邮政编码", "传真", "QQ", "微信"]
    return re.compile(alternation(stoppers)), kinds


def _contacts(text: str) -> list[Contact]:
    label, kinds = _contact_label()
    out: list[Contact] = []
    marks = list(label.finditer(text))
    for i, m in enumerate(marks):
        kind = kinds.get(m.group(0))
        if kind is None:
            continue
        stop = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        raw = text[m.end():stop]
        colon = raw.startswith(":")
        value = re.split(r"[;。\n]", raw.lstrip(": "), maxsplit=1)[0].strip(" ,")
        if kind == "phone":
            out += [Contact("phone", p) for p in _PHONE.findall(value)]
        elif kind == "person" and colon:
            for name in re.split(r"[、,和及/ ]", re.split(r"[\d(]", value)[0])[:3]:
                if re.fullmatch(r"[\u4e00-\u9fff]{2,4}", name) and not _NOT_NAME.search(name):
                    out.append(Contact("person", name))
        elif kind == "address" and colon and len(value) >= 5 and _PLACE_WORD.search(value):
            out.append(Contact("address", value[:80]))
    out += [Contact("phone", p) for p in _AREA_PHONE.findall(text)]
    out += [Contact("email", e) for e in _EMAIL.findall(text)]
    for m in _URL.finditer(text):
        # An address the text points a reader to (登录…网站, 申报系统(http://…)), not a script's
        # or stylesheet's; a page glues its date to the site address: www.x.gov.cn2016-08-09.
        if _URL_CONTEXT.search(text[max(0, m.start() - 24):m.start()]) and not _ASSET.search(m.group(0)):
            out.append(Contact("url", re.sub(r"(\.(?:cn|com|net|org))\d{4}-\d{2}-\d{2}$", r"\1",
                                              m.group(0))))
    return list(dict.fromkeys(out))
