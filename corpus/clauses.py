"""Body lines → numbered clauses that keep their heading path and number path.

Owns the numbering hierarchy of Chinese policy documents (一、 › (一) › 1. › (1) › ①, 第X条,
附件), numbering restarts (a synthetic parent), paragraph fallback, responsible offices
(责任单位 / 牵头) and windows for the embedder. Nesting follows the order in which marker kinds
first appear, as people read them, rather than a fixed table: a document that starts with 1.
and nests (一) inside it is split correctly too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from corpus.clean import to_match
from corpus.injection import instruction_sentences
from corpus.models import Clause, DocumentMeta, content_hash

_CN_NUM = "一二三四五六七八九十百千零〇两"
_CN_VALUES = {c: i for i, c in enumerate("零一二三四五六七八九十")} | {"〇": 0, "两": 2}
_MARKERS: list[tuple[str, re.Pattern[str]]] = [
    ("annex", re.compile(r"^附件\s*(\d*)\s*[:：]?")),
    ("chapter", re.compile(rf"^第\s*([\d{_CN_NUM}]+)\s*章")),
    ("section", re.compile(rf"^第\s*([\d{_CN_NUM}]+)\s*[节節]")),
    ("article", re.compile(rf"^第([\d{_CN_NUM}]+)[条條](?:之([一二三四五六七八九十]+))?")),
    ("cn", re.compile(rf"^([{_CN_NUM}]+)\s*、")),
    ("paren_cn", re.compile(rf"^\(([{_CN_NUM}]+)\)")),
    ("arabic", re.compile(r"^(\d{1,2})\s*[.、](?!\d)")),
    ("paren_arabic", re.compile(r"^\((\d{1,2})\)")),
]
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_TITLE_END = re.compile(r"[。；;]")
_SENTENCE_PUNCT = re.compile(r"[。，,；;：:！？]")

_OFFICE_LABEL = re.compile(
    r"[(〔\[【]\s*(责任单位|牵头单位|责任部门|牵头部门|负责单位|实施单位)\s*[:：]\s*"
)
_CLOSERS = {"(": ")", "〔": "〕", "[": "]", "【": "】"}
ORG_END = r"(?:局|委|办|厅|部|中心|政府|办公室|小组|分行|分局|管委会|公司|协会)"
# "X、Y牵头": the offices before 牵头, back to a boundary. Found without a nested regex
# quantifier (which backtracks exponentially on long runs of unit characters).
_LEAD_BOUNDARY = re.compile(r"[，。；;,:：(由]")
_LEAD_SPAN = re.compile(r"[\u4e00-\u9fff、，,及和]+")
_LEAD_END = re.compile(rf"{ORG_END}[、，,及和]?$")
_PIECE_END = re.compile(rf"{ORG_END}$")
_LEAD_REACH = 200  # characters before 牵头 an office list may take
_OFFICE_SEPARATORS = "、，,；;"
_OFFICE_TRIM = re.compile(r"(牵头|配合|等部门|等单位|等|按职责分工负责|分别负责|负责)$")
_ROLE_MARK = re.compile(r"[(（]?(牵头|配合)[)）]?$")

# A list whose items are all this short is one clause (its heading plus the items): a
# question about "the conditions" or "the materials" needs the whole list, and one-line items
# carry too little text to be found on their own.
SHORT_ITEM_CHARS = 100
SHORT_LIST_CHARS = 600
_ITEM_KINDS = {"arabic", "paren_arabic", "circled"}
# Regulations (管理办法, 条例) nest by rank, not by order of appearance: 章 › 节 › 条.
_LEGAL_RANK = {"chapter": 0, "section": 1, "article": 2}
# The 主送 line of an official document ("各县(市、区)人民政府,市政府各部门,…:") names who
# receives it; it answers no question and would otherwise match every office query.
_ADDRESSEE = re.compile(r"^(?:各[^。；;]{1,40}[、,，])+[^。；;]*[:：]$")

_UNNUMBERED = {"para", "header", "signature"}
_CONTACT_LINE = re.compile(
    r"^(?:联系人|联系电话|咨询电话|服务电话|电话|手机|邮箱|电子邮箱|电子信箱|传真|地址|邮寄地址|通讯地址"
    r"|联系地址|邮编|邮政编码|网址|QQ|微信)\s*[:：]?")

WINDOW_CHARS = 600  # e5-small reads ~0.7 tokens per Chinese character: 600 chars ≈ 420 tokens
WINDOW_OVERLAP = 100


@dataclass(frozen=True)
class BodyLine:
    text: str  # cleaned, original characters
    garbled_heading: bool = False  # the line's heading number was lost to mojibake
    numeral: str | None = None  # what could be recovered of that number
    role: str | None = None  # "header" (title, 文号, date) or "signature": a clause of its own


@dataclass
class _Node:
    kind: str
    num: int | None
    label: str
    lines: list[str] = field(default_factory=list)
    children: list[_Node] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    title: str = ""


def _cn_value(text: str) -> int:
    if text.isdigit():
        return int(text)
    if "千" in text:
        thousands, _, rest = text.partition("千")
        return _CN_VALUES.get(thousands, 1) * 1000 + (_cn_value(rest.lstrip("零〇")) if rest else 0)
    if "百" in text:
        hundreds, _, rest = text.partition("百")
        return _CN_VALUES.get(hundreds, 1) * 100 + (_cn_value(rest.lstrip("零〇")) if rest else 0)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN_VALUES[tens] if tens else 1) * 10 + (_CN_VALUES[ones] if ones else 0)
    return int("".join(str(_CN_VALUES[c]) for c in text))


# A policy text opens by saying what it is for and what it rests on (为了…，根据《…》，结合本市实际，
# 制定本条例; a notice's 为贯彻落实…，现将…印发给你们). Such a clause shares the whole text's words and
# the titles of the texts it rests on, yet states no measure.
_PURPOSE = re.compile(r"^(?:第[一1]条\s*)?为了?[^。]{0,300}?(?:(?:制定|修订|印发|出台)(?:本|以下|如下|该|了《)|"
                      r"(?:特|现)(?:制定|将))")


def states_purpose(text: str) -> bool:
    """Whether a clause is its text's opening statement of purpose and basis."""
    return bool(_PURPOSE.search(text))


def detect_marker(line: str) -> tuple[str, int, str] | None:
    """(kind, number, label) of a line's leading numbering, or None."""
    if line[:1] and line[0] in _CIRCLED:
        n = _CIRCLED.index(line[0]) + 1
        return "circled", n, line[0]
    m = to_match(line)
    for kind, pattern in _MARKERS:
        found = pattern.match(m)
        if not found:
            continue
        raw = found.group(1)
        if kind == "annex":
            n = int(raw) if raw else 1
            return kind, n, f"附件{raw}"
        n = _cn_value(raw)
        if kind == "article" and found.group(2):  # 第十条之一: an article inserted by amendment
            return kind, n, f"第{n}条之{found.group(2)}"
        label = {"cn": raw, "paren_cn": f"({raw})", "article": f"第{n}条", "chapter": f"第{n}章",
                 "section": f"第{n}节", "paren_arabic": f"({n})"}.get(kind, str(n))
        return kind, n, label
    return None


def _is_title_like(line: str) -> bool:
    m = to_match(line)
    return 0 < len(m) <= 30 and not _SENTENCE_PUNCT.search(m)


def _heading_title(line: str) -> str:
    head = _TITLE_END.split(line, maxsplit=1)[0]
    return head if len(head) <= 40 else head[:40] + "…"


def _office_blocks(text: str) -> list[tuple[str, str]]:
    """(label, contents) of ``(责任单位:…)`` blocks; offices may hold parentheses: ``各县(市、区)政府``."""
    blocks: list[tuple[str, str]] = []
    for found in _OFFICE_LABEL.finditer(text):
        opener, closer = found.group(0)[0], _CLOSERS[found.group(0)[0]]
        depth, end = 1, found.end()
        while end < len(text) and depth:
            depth += {opener: 1, closer: -1}.get(text[end], 0)
            end += 1
        blocks.append((found.group(1), text[found.end() : end - 1 if depth == 0 else end]))
    return blocks


def split_names(chunk: str) -> list[str]:
    """Names separated by 、，；, never inside parentheses (各县(市、区)政府 is one name)."""
    names, current, depth = [], "", 0
    for char in chunk:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char in _OFFICE_SEPARATORS and depth <= 0:
            names.append(current)
            current = ""
        else:
            current += char
    return [*names, current]


def _lead_offices(text: str) -> list[str]:
    """The office lists right before each 牵头: from the earliest boundary (or the start) whose
    span to 牵头 is names ending in a unit word, joined by 、，及和 — what the pattern
    ``(?:^|boundary)((?:…{2,25}?ORG_END[、，,及和]?)+?)牵头`` matched."""
    found = []
    end = 0
    for lead in re.finditer("牵头", text):
        start = max(end, lead.start() - _LEAD_REACH)
        starts = ([0] if start == 0 else []) + [b.end() for b in
                                                 _LEAD_BOUNDARY.finditer(text, start, lead.start())]
        for s in starts:
            span = text[s:lead.start()]
            pieces = [piece for piece in re.split(r"[、，,及和]", span) if piece]
            if pieces and _LEAD_SPAN.fullmatch(span) and _LEAD_END.search(span) \
                    and all(len(piece) >= 2 and _PIECE_END.search(piece) for piece in pieces):
                found.append(span)
                break
        end = lead.end()
    return found


def office_roles(text_match: str) -> tuple[tuple[str, str], ...]:
    """Responsible offices of a clause with their role, in the order written: ``责任`` in a
    (责任单位:…) block, ``牵头`` in a (牵头单位:…) block or before 牵头, ``配合`` when marked so
    (市财政局配合, 市工信局(牵头))."""
    chunks = [("牵头" if label.startswith("牵头") else "责任", chunk)
              for label, chunk in _office_blocks(text_match)]
    chunks += [("牵头", span) for span in _lead_offices(text_match)]
    found: dict[str, str] = {}
    for role, chunk in chunks:
        for raw in split_names(chunk):
            raw = raw.strip(" 。")
            mark = _ROLE_MARK.search(raw)
            name = _OFFICE_TRIM.sub("", _ROLE_MARK.sub("", raw) if mark and mark.group(0)[0] in "(（"
                                    else raw).removeprefix("由")
            role_here = mark.group(1) if mark else role
            if len(name) >= 2 and (name not in found or found[name] == "责任"):
                found[name] = role_here
    return tuple(found.items())


def parse_offices(text_match: str) -> tuple[str, ...]:
    """Responsible offices of a clause, in matching form, in the order written."""
    return tuple(name for name, _ in office_roles(text_match))


def windows(text: str, size: int = WINDOW_CHARS, overlap: int = WINDOW_OVERLAP) -> tuple[str, ...]:
    """Overlapping windows, cut after a sentence end where one is near the limit."""
    if len(text) <= size:
        return (text,)
    parts: list[str] = []
    start = 0
    while start < len(text):
        end = min(start + size, len(text))
        if end < len(text):
            cut = max(text.rfind("。", start + size // 2, end), text.rfind("；", start + size // 2, end))
            end = cut + 1 if cut > 0 else end
        parts.append(text[start:end])
        if end >= len(text):
            break
        start = max(end - overlap, start + 1)
    return tuple(parts)


class _TreeBuilder:
    """Reads body lines in order and keeps the stack of open headings."""

    def __init__(self) -> None:
        self.root = _Node("root", None, "")
        self.stack: list[_Node] = [self.root]
        self.paragraphs = 0

    def add(self, line: BodyLine) -> None:
        marker = detect_marker(line.text)
        if line.role:
            self._add_apart(line.role, line.text)
        elif line.garbled_heading:
            self._add_garbled(line)
        elif marker:
            self._add_numbered(*marker, text=line.text)
        elif self.stack[-1].kind == "annex" and len(self.stack[-1].lines) == 1 \
                and _is_title_like(line.text):
            annex = self.stack[-1]  # "附件:" on its own line: the next line names the annex
            annex.lines.append(line.text)
            annex.title = f"{annex.title}{line.text}"
        elif len(self.stack) == 1 and _CONTACT_LINE.match(to_match(line.text)) and \
                self.root.children and self.root.children[-1].kind == "para" and \
                _CONTACT_LINE.match(to_match(self.root.children[-1].lines[-1])):
            self.root.children[-1].lines.append(line.text)  # one contact block: 联系人/电话/邮箱
        elif len(self.stack) == 1:
            self.paragraphs += 1
            self.root.children.append(_Node("para", self.paragraphs, f"¶{self.paragraphs}",
                                            [line.text]))
        else:
            self.stack[-1].lines.append(line.text)

    def _add_apart(self, role: str, text: str) -> None:
        """Header and signature lines are text, but of no article: a clause of their own."""
        del self.stack[1:]
        last = self.root.children[-1] if self.root.children else None
        if last is not None and last.kind == role:
            last.lines.append(text)
            return
        count = sum(1 for c in self.root.children if c.kind == role)
        label = f"¶{role}" if count == 0 else f"¶{role}{count + 1}"
        self.root.children.append(_Node(role, None, label, [text], flags=[role],
                                        title={"header": "(文件头)", "signature": "(落款)"}[role]))

    def _add_numbered(self, kind: str, num: int, label: str, text: str,
                      flags: list[str] | None = None) -> _Node:
        node = _Node(kind, num, label, [text], flags=list(flags or []),
                     title=_heading_title(text))
        if kind == "annex":  # an annex closes everything before it
            del self.stack[1:]
        if kind in _LEGAL_RANK:  # 第N章 closes sections and articles, 第N节 closes articles
            closed = next((i for i, n in enumerate(self.stack)
                           if n.kind in _LEGAL_RANK and _LEGAL_RANK[n.kind] >= _LEGAL_RANK[kind]), None)
            if closed is not None and self.stack[closed].kind != kind:
                del self.stack[closed:]
        depth = next((i for i in range(len(self.stack) - 1, 0, -1)
                      if self.stack[i].kind == kind), None)
        if depth is not None:
            previous = self.stack[depth]
            deepest = self.stack[-1]
            del self.stack[depth:]
            if num <= (previous.num or 0) and num == 1 and kind != "annex":
                self._restart(kind, deepest)
        parent = self.stack[-1]
        parent.children.append(node)
        self.stack.append(node)
        return node

    def _restart(self, kind: str, deepest: _Node) -> None:
        """Numbering restarted with no visible parent: wrap each run in a synthetic group."""
        parent = self.stack[-1]
        if parent.kind != "group":
            run = [c for c in parent.children if c.kind == kind]
            if run:
                first = _Node("group", 1, "§1", children=run, title="(第1部分)")
                parent.children = [c for c in parent.children if c.kind != kind]
                parent.children.append(first)
        else:
            self.stack.pop()
            parent = self.stack[-1]
        groups = sum(1 for c in parent.children if c.kind == "group")
        title = f"(第{groups + 1}部分)"
        # A short title-like line just before the restart is the new part's real heading.
        if len(deepest.lines) > 1 and _is_title_like(deepest.lines[-1]):
            title = deepest.lines.pop()
        group = _Node("group", groups + 1, f"§{groups + 1}", title=title)
        parent.children.append(group)
        self.stack.append(group)

    def _add_garbled(self, line: BodyLine) -> None:
        # Mojibake ate a "(N)" heading; the body survives. Take the numeral from the bytes when
        # it survived, otherwise the previous sibling's number + 1 (checked against the next
        # sibling in _fix_inferred).
        kind = "paren_cn"
        siblings = next((n.children for n in reversed(self.stack)
                         if any(c.kind == kind for c in n.children)), [])
        previous = next((c.num for c in reversed(siblings) if c.kind == kind), 0) or 0
        in_stack = any(n.kind == kind for n in self.stack[1:])
        if line.numeral:
            num, flags = _cn_value(line.numeral), ["mojibake", "number_recovered"]
        else:
            num, flags = (previous + 1 if in_stack else 1), ["mojibake", "number_inferred"]
        label = f"({_to_cn(num)})"
        node = self._add_numbered(kind, num, label, line.text, flags)
        node.title = f"{label}{_heading_title(line.text)}"


def _to_cn(num: int) -> str:
    digits = "零一二三四五六七八九"
    if num <= 10:
        return "十" if num == 10 else digits[num]
    if num < 20:
        return "十" + digits[num - 10]
    return digits[num // 10] + "十" + (digits[num % 10] if num % 10 else "")


def _fix_inferred(node: _Node) -> None:
    """An inferred number that contradicts the next sibling takes the next sibling's - 1."""
    kids = node.children
    for i, child in enumerate(kids):
        if "number_inferred" in child.flags and i + 1 < len(kids):
            nxt = kids[i + 1]
            prev_num = kids[i - 1].num if i > 0 and kids[i - 1].kind == child.kind else 0
            if nxt.kind == child.kind and nxt.num and child.num != nxt.num - 1 \
                    and nxt.num - 1 > (prev_num or 0):
                child.num = nxt.num - 1
                child.label = f"({_to_cn(child.num)})"
        _fix_inferred(child)


def _lift_lost_headings(node: _Node) -> None:
    """``(一)`` holding two restarted runs, followed by ``(三)``: the second run is the lost
    ``(二)``. Give it back its number instead of a synthetic part (flagged as inferred)."""
    kids = node.children
    i = 0
    while i < len(kids):
        child = kids[i]
        groups = [g for g in child.children if g.kind == "group"]
        nxt = kids[i + 1] if i + 1 < len(kids) else None
        if (len(groups) >= 2 and child.num and nxt is not None and nxt.kind == child.kind
                and nxt.num == child.num + len(groups) and child.kind in {"cn", "paren_cn"}):
            first, *rest = groups
            child.children = [c for c in child.children if c is not first and c not in rest]
            child.children += first.children
            lifted = []
            for offset, group in enumerate(rest, start=1):
                num = child.num + offset
                label = _to_cn(num) if child.kind == "cn" else f"({_to_cn(num)})"
                title = group.title if not group.title.startswith("(第") else "(标题缺失)"
                lifted.append(_Node(child.kind, num, label, children=group.children,
                                    flags=["number_inferred", "heading_lost"],
                                    title=f"{label}{title}"))
            kids[i + 1 : i + 1] = lifted
            i += len(lifted)
        _lift_lost_headings(child)
        i += 1


def _fold_short_lists(node: _Node) -> None:
    kids = node.children
    # Under an article (第三条), (一)(二)… are its items (条 › 项), not sections of their own.
    items = _ITEM_KINDS | {"paren_cn"} if node.kind == "article" else _ITEM_KINDS
    if (node.kind not in {"root", "group", *_UNNUMBERED} and len(kids) >= 2
            and all(k.kind in items and not k.children for k in kids)):
        texts = ["\n".join(k.lines) for k in kids]
        if (all(len(to_match(t)) <= SHORT_ITEM_CHARS for t in texts)
                and sum(len(t) for t in texts) <= SHORT_LIST_CHARS):
            node.lines += texts
            node.flags += ["list"] + [f for k in kids for f in k.flags if f not in node.flags]
            node.children = []
            return
    for kid in kids:
        _fold_short_lists(kid)


def split_clauses(doc_id: str, source_file: str, meta: DocumentMeta,
                  lines: list[BodyLine]) -> list[Clause]:
    builder = _TreeBuilder()
    for line in lines:
        builder.add(line)
    _fix_inferred(builder.root)
    _lift_lost_headings(builder.root)
    _fold_short_lists(builder.root)
    clauses: list[Clause] = []
    used: set[str] = set()

    def visit(node: _Node, labels: list[str], titles: list[str]) -> None:
        for child in node.children:
            child_labels = [*labels, child.label]
            title = child.title or _heading_title(child.lines[0] if child.lines else "")
            child_titles = [*titles, title] if child.kind not in _UNNUMBERED else titles
            pure_heading = (len(child.lines) == 1 and child.children
                            and _is_title_like(child.lines[0]))
            if child.lines and not pure_heading and child.kind != "group":
                text = "\n".join(child.lines)
                number_path = ".".join(child_labels)
                clause_id = f"{doc_id}:{number_path}"
                if clause_id in used:
                    clause_id = f"{clause_id}~{content_hash(text)[:6]}"
                used.add(clause_id)
                text_match = to_match(text)
                flags = tuple(child.flags)
                if child.kind == "para" and _ADDRESSEE.match(text_match):
                    flags += ("addressees",)
                if instruction_sentences(text_match):
                    flags += ("instructions_to_model",)
                clauses.append(Clause(
                    clause_id=clause_id, doc_id=doc_id, source_file=source_file,
                    title=meta.title, doc_number=meta.doc_number, date=meta.date,
                    kind=meta.kind, heading_path=tuple(child_titles or [title]),
                    number_path=number_path, text=text, text_match=text_match,
                    offices=parse_offices(text_match), flags=flags,
                    parts=windows(text_match), ordinal=len(clauses),
                ))
            visit(child, child_labels, child_titles)

    visit(builder.root, [], [])
    return clauses
