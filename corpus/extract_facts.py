"""One clause's text → its typed facts (``corpus/facts.py``), by rules of official-document language.

Owns the reading order: sentence by sentence, the quantities and what role they play
(conditions, ``amounts.py``; support, ``support.py``), dates (申报时间为…至…, …前报送, 自…起施行,
有效期N年, ``validity.py``), then over the whole clause the offices with their roles (the
责任单位 logic of ``clauses.py``, field labels, and offices named in prose: the subject of a
duty, where an application goes, a unit with its phone, a signature), material lists and contacts.
The text is the clause's matching form (simplified, NFKC). Every rule is a pattern of the genre;
none names a document. Vocabulary is data (``data/facts.json``, ``fact_words.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from corpus.amounts import classify, conditions, quantities
from corpus.clauses import office_roles, split_names
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
# An office is a name ending in a unit word (``office_units`` in data/facts.json) that stands
# where the genre puts an office: a field label (受理部门:, 复核机构:), the subject of a duty
# (市财政局负责…, 由X审核, 经X复核, X和Y为本规定的实施部门), the addressee of an application
# (向X提出, 交至X, 报X审核), a unit followed by its phone (咨询) or a signature (the issuer:
# 责任, for it answers for the document). A kind of office (部门, 机构, 中心, 科…) counts only
# with a level or a place (市民政部门, 县(市)区公共就业服务部门); 有关部门 never does.

# A level or a place before the department (市商务局, 所在地人社部门, 各区市县(先导区)…, 国务院…).
_PLACED = re.compile(r"^(?:中共)?(?:[市区县省州镇乡](?!场|域|内|外)|街道|所在|属地|当地|地市|设区|国家|"
                     r"国务院|中国|中央|自治区|各(?:区|县|市|设区|镇|乡|街道)|"
                     r"[\u4e00-\u9fff]{2,8}?(?:省|市|区|县|州|盟|旗|新区|开发区|高新区|园区))")
# Not one office: a kind named with no place, or a list of all (有关部门, 各级政府, 上述单位).
_GENERIC = re.compile(r"^(?:有关|相关|其他|其|各级?|该|上述|同级|本级|主管|行政|所属|本|我|县级以上|"
                      r"省级以上|市级以上|负责|申请|企业|项目)|的|有关|相关|等")
# In prose 各区人社部门 (each district's) and 县级以上人民政府 (a level) do name offices.
_VAGUE = re.compile(r"^(?:有关|相关|其他|其|各(?:级|有关|相关|部门|单位|地|类)|该|上述|同级|上级|下级|本级|"
                    r"主管|行政|所属|本|我|单位|负责|申请|企业|项目)|的|有关|相关|等")
# Words no office name holds: a sentence's verbs and function words (这部分资金将由省工信厅…).
_NOT_IN_OFFICE = re.compile(r"^[和及与应可要需]|[由将对向为是把被从这那了按须或送到后并]|(?<!所)在|关于|提出|"
                            r"申请|申报|参与|择优|应当|指定|通过|根据|会同|支持|符合|鼓励|推动|推进|给予|出具|意见|"
                            r"(?<![县市省]级)以上|以下")
_LEVEL = re.compile(r"^(?:(?:各|所在地|所在|当地|属地)?(?:[市区县省镇乡]|街道)(?:级)?、?)*")
_ALIAS = re.compile(r"\((?:以下简称|以下称|下称|简称)[^()]*\)")
_CN = "一二三四五六七八九十百零〇"
# What may stand before a subject at the start of a sentence: its number, a connective, 由/经.
_LEAD = (rf"(?:第[{_CN}\d]+条(?:之[{_CN}]+)?|\(?[{_CN}\d]{{1,3}}\)|[{_CN}]{{1,3}}、|\d{{1,2}}[.、](?!\d)|"
         r"[①-⑳]|答:?)?(?:其中|同时|并且?|再|然后|最后|另外|此外|之后|随后|均)?(?:由|经(?!济)过?)?")
_PREP_WORD = r"(?:根据|按照|依据|依照|按|对|向|在|于|自|从|通过|会同|联合|协同|与|依托)"
_PREP = _PREP_WORD + r"[^,;。:\n]{1,30}?"
_RECEIVING_HEAD = re.compile(r"受理(?:地址|地点|部门|单位|窗口|机构|网点)")
_DATE_LINE = re.compile(r"^[\d〇○零一二三四五六七八九十]{2,4}年[\d一二三四五六七八九十]{1,2}月"
                        r"[\d一二三四五六七八九十]{1,3}日(?:印发|发布)?$")


@dataclass(frozen=True)
class _OfficeGrammar:
    unit: re.Pattern[str]  # a name's ending: its unit word, then an optional (…) of its own
    kind_unit: re.Pattern[str]
    not_unit: re.Pattern[str]
    name: str
    rules: tuple[tuple[re.Pattern[str], str | None], ...]  # role None: the verb decides
    phone: re.Pattern[str]
    roles: dict[str, str]
    role_verb: re.Pattern[str]
    verb_first: re.Pattern[str]


@lru_cache(maxsize=1)
def _grammar() -> _OfficeGrammar:
    units, verbs = vocab()["office_units"], vocab()["office_verbs"]
    unit = alternation(units["named"] + units["kind"])
    paren = r"\([\u4e00-\u9fff、]{1,16}\)"
    name = rf"(?:[\u4e00-\u9fff]|{paren}){{1,30}}?(?:{unit})(?:{paren})?"
    # A list of names (市财政局、市商务局, 市外经贸局和市财政局) is one flat span ending in a unit
    # word, split afterwards (_split_offices): one way to read each character, so a list that
    # leads to no verb fails in linear time.
    names = rf"(?:[\u4e00-\u9fff、]|{paren}){{1,80}}?(?:{unit})(?:{paren})?"
    roles = {w: role for role, words in verbs.items() if role not in ("_about", "review", "modal")
             for w in words}
    verb = alternation(list(roles))
    review = alternation(verbs["review"])
    adverbs = rf"(?:{alternation(vocab()['office_adverbs'])}|每[一二两三四五六七八九十\d]*个?(?:年|月|季度|周))*"
    # A verb that begins a unit word is part of a name (市委组织部); a verb before 的 qualifies
    # a noun (由区商务局认定的园区): no duty.
    unit_next = r"(?!部|局|委(?!托)|厅|署|处(?!理)|室|所(?!在|属|有)|站|中心|机构|办公室)"
    verb = rf"(?P<v>{verb}){unit_next}(?![\u4e00-\u9fff]?的)"
    review = rf"(?P<v>{review}){unit_next}(?![\u4e00-\u9fff]?的)"
    # Nor is X's duty what its department does (县级以上人民政府负责…工作的部门应当…).
    own = r"(?![^,;。\n]{0,20}的(?:部门|机构))"
    # X(应当)(按照…)(,)审核…: a duty verb; or X应当/可以/负责…: a modal makes the sentence X's.
    duties = [rf"(?P<o>{names}){adverbs}(?:{_PREP})??,?{verb}{own}",
              rf"(?P<o>{names})(?:{alternation(verbs['modal'])}){own}"]
    anchor = rf"(?:^|(?<=[。;!?\n,:]))(?:{_LEAD})"
    phones = alternation(["联系电话", "咨询电话", "办公电话", "服务电话", "咨询热线", "联系方式", "电话"])
    # Where nothing follows the names in a rule, they end where the sentence or a verb goes on.
    end = (rf"(?=[^\u4e00-\u9fff、(]|$|等|{alternation([*roles, *vocab()['office_adverbs']])}|"
           rf"{_PREP_WORD})")
    rules: list[tuple[str, str | None]] = [
        (rf"向(?P<o>{names})(?:线上|线下|书面|正式|如实|及时|直接)?"
         r"(?:提出|提交|申报|报送|递交|申请|报名|备案|申领|报告)", "受理"),
        (rf"(?:提交|报送|递交|寄送|送交|交|送|寄)[^,;。]{{0,14}}?(?:至|到|给)(?P<o>{names}){end}", "受理"),
        (rf"到(?P<o>{names})(?:进行|办理)?(?:备案|申请|申报|办理)", "受理"),
        (rf"向(?P<o>{names})(?:咨询|询问|反映)|致电(?P<o2>{names}){end}", "咨询"),
        (rf"与(?P<o>{names})联系|联系(?P<o2>{names}){end}", "咨询"),
        *((rf"由{duty}", None) for duty in duties),
        *((anchor + duty, None) for duty in duties),
        (rf"经(?!济)过?(?P<o>{names}){adverbs}{review}", None),
        (rf"(?:上报|报送|报请|提请|提交|移交|报|送|交)(?P<o>{names})(?:进行)?{review}", None),
        (rf"(?:征得|征求|报经)(?P<o>{names})(?:同意|意见|批准)", "责任"),
        (rf"会同(?P<o>{names}){end}", "配合"),
        (rf"(?:^|[,;:(])(?P<o>{names})(?:配合|协助)", "配合"),
    ]
    return _OfficeGrammar(
        unit=re.compile(rf"(?:{unit})(?:\([^()]*\))?$"),
        kind_unit=re.compile(rf"(?:{alternation(units['kind'])})$"),
        not_unit=re.compile(rf"(?:{alternation(units['not'])})$"),
        name=name,
        rules=tuple((re.compile(p), role) for p, role in rules),
        phone=re.compile(rf"(?:^|(?<=[\n。;:(,]))(?:\d{{1,2}}[.、]|[①-⑳])?(?P<o>{names})[,\s]*\(?(?:{phones})"),
        roles=roles,
        role_verb=re.compile(alternation([w for w, r in roles.items() if r != "责任"])),
        verb_first=re.compile(alternation([*roles, *verbs["modal"], "成立", "授权", "明确", "依托", "确定"])),
    )


def _split_offices(chunk: str) -> list[str]:
    """Names joined by 、/和/及/与/或: split only after a unit word, so 市、区民政部门 and
    人力资源和社会保障局 stay whole; never inside parentheses (各县(市、区)政府)."""
    unit = _grammar().unit
    names, current, depth, i = [], "", 0, 0
    while i < len(chunk):
        sep = re.match(r"以及|及其|、|和|及|与|或(?!者)", chunk[i:]) if depth == 0 else None
        if sep and unit.search(current):
            names.append(current)
            current, i = "", i + sep.end()
            continue
        depth += {"(": 1, ")": -1}.get(chunk[i], 0)
        current += chunk[i]
        i += 1
    return [*names, current]


def _clean_office(raw: str) -> tuple[str, str | None]:
    """The name as written, without an alias in parentheses, a role mark or a trailing note
    such as (或其他单位); the role the mark gives."""
    name = _ALIAS.sub("", raw.strip(" ,"))
    # 所在地的区开业指导服务部门 is the asker's 区's office; 所在地的人社部门, the local one
    name = re.sub(r"^(?:所在地|当地|属地)的(?=[市区县])", "", name)
    name = re.sub(r"^(所在地|当地|属地)的", r"\1", name)
    mark = re.search(r"[(]?(牵头|配合)[)]?$", name)
    name = name[:mark.start()] if mark else name
    note = re.search(r"\(([^()]*)\)$", name)
    if note and not _grammar().unit.search(note.group(1)) and not re.search(r"\)\S", name):
        name = name[:note.start()]
    name = re.sub(r"等(?:有关|相关|其他)?(?:部门|单位|机构)?$", "", name)
    return name, mark.group(1) if mark else None


def _is_office(name: str, placed: bool) -> bool:
    g = _grammar()
    bare = re.sub(r"\([^()]*\)$", "", name)
    if not (2 <= len(name) <= 30) or re.search(r"[\d:@]|电话|地址", name) or \
            name.count("(") != name.count(")") or _NOT_IN_OFFICE.search(name) or \
            any(_VAGUE.search(item) for item in name.split("、")) or \
            not g.unit.search(name) or g.not_unit.search(bare):
        return False
    stem = re.sub(g.unit.pattern, "", bare)
    if g.verb_first.match(name) and len(stem) > 2:
        return False  # 成立…领导小组, 加强…管委会: a verb's object, not a subject
    if re.search(r"(?:部门|机构|机关)$", bare) and len(_LEVEL.sub("", stem)) < 2:
        return False  # 各市级部门, 市级机构: a level, no department
    if g.kind_unit.search(bare):
        return placed and bool(stem)  # 商务主管部门 alone names no office a reader can find
    return placed or len(stem) >= 2


def _office_list(chunk: str) -> list[tuple[str, str | None]]:
    """Offices in a list of names; a kind of office takes the place of a placed name before it
    (向所在地市级经信委、财政局提交)."""
    out, placed = [], False
    for raw in _split_offices(chunk):
        name, mark = _clean_office(raw)
        if _is_office(name, placed or bool(_PLACED.search(name))):
            out.append((name, mark))
            placed = placed or bool(_PLACED.search(name))
    return out


@lru_cache(maxsize=1)
def _office_label() -> re.Pattern[str]:
    labels = vocab()["office_labels"]
    return re.compile(rf"(?<!的)(?P<label>{alternation(list(labels))})\s*(?::\s*\n?|\n)(?P<v>[^;。\n]+)")


def _office_names(chunk: str) -> list[str]:
    names = []
    for raw in split_names(_ALIAS.sub("", chunk)):
        name = re.sub(r"^(?:由|向|到|经(?!济))|[(（]?(?:牵头|配合)[)）]?$|(?:等部门|等单位|等)$", "",
                      raw.strip(" )"))
        if 2 <= len(name) <= 30 and not re.search(r"[\d:@]|电话|地址", name) \
                and name.count("(") == name.count(")") \
                and not _GENERIC.search(name):
            names.append(name)
    return names


def _signature(text: str) -> list[str]:
    """The issuers of a signature: lines of office names over a date. Names may be glued
    together (龙岩市工业和信息化局龙岩市财政局): each begins with the first one's place."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if len(lines) < 2 or not _DATE_LINE.match(lines[-1]):
        return []
    names: list[str] = []
    for line in lines[:-1]:
        place = re.match(r"(?:中共)?([\u4e00-\u9fff]{2,6}?(?:省|市|自治区|县))", line)
        cuts = [0] + ([m.start() for m in re.finditer(rf"(?:中共)?{re.escape(place.group(1))}", line)
                       if m.start() > 0] if place else [])
        pieces = [line[a:b] for a, b in zip(cuts, [*cuts[1:], len(line)], strict=True)]
        if not all(re.fullmatch(_grammar().name, p) and _is_office(p, True) for p in pieces):
            return []
        names += pieces
    return names


def _offices(text: str) -> list[Office]:
    g = _grammar()
    found: dict[str, str] = {name: role for name, role in office_roles(text)
                             if name.count("(") == name.count(")")}
    labels = vocab()["office_labels"]
    for m in _office_label().finditer(text):
        for name in _office_names(m.group("v")):
            found.setdefault(name, labels[m.group("label")])

    def add(m: re.Match[str], role: str | None) -> None:
        after = m.string[m.end():]
        verb = m.groupdict().get("v")
        if role is None and verb is None:  # X应当…: the first verb of a role, else a duty
            found_verb = g.role_verb.search(re.split(r"[,;。\n]", after, maxsplit=1)[0][:12])
            verb = found_verb.group(0) if found_verb else None
        role = role or g.roles.get(verb or "", "责任")
        for group in ("o", "o2"):
            if m.groupdict().get(group):
                for name, mark in _office_list(m.group(group)):
                    found.setdefault(name, mark or role)

    for pattern, role in g.rules:
        for m in pattern.finditer(text):
            add(m, role)
    for m in g.phone.finditer(text):
        add(m, "受理" if _RECEIVING_HEAD.search(text[:m.start()]) else "咨询")
    for name in _signature(text):
        found.setdefault(name, "责任")
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
# A site named in words where a reader finds or files something (在"上海中小企业网"上发布,
# 登录广东政务服务网申报): as much a contact as its address.
_NAMED_SITE = re.compile(r"(?:在|通过|登录|登陆|访问|于)[“\"「『]?(?P<n>[\u4e00-\u9fffA-Za-z0-9]{2,16}?"
                         r"(?:网站|网|平台|门户|服务系统|申报系统|管理系统|公众号|小程序|APP|App))[”\"」』]?"
                         r"(?:上|中|进行)?(?:发布|公布|公开|公示|申报|填报|查询|下载|提交|办理|注册|提出申请|"
                         r"申请|报名|填写|上传)")
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
    out += [Contact("site", m.group("n")) for m in _NAMED_SITE.finditer(text)
            if not re.match(r"网|互联网", m.group("n"))]
    for m in _URL.finditer(text):
        # An address the text points a reader to (登录…网站, 申报系统(http://…)), not a script's
        # or stylesheet's; a page glues its date to the site address: www.x.gov.cn2016-08-09.
        if _URL_CONTEXT.search(text[max(0, m.start() - 24):m.start()]) and not _ASSET.search(m.group(0)):
            out.append(Contact("url", re.sub(r"(\.(?:cn|com|net|org))\d{4}-\d{2}-\d{2}$", r"\1",
                                              m.group(0))))
    return list(dict.fromkeys(out))
