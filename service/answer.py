"""Question → cited answer (extractive by default, deterministic), or an honest refusal.

Owns answerability and composition: which retrieved clauses are cited (only those the answer
uses), the first sentence shaped by the intent, the asked-detail check for near misses, the
asker's script, and follow-up resolution for chat. Every statement is a sentence of a cited
clause, so every number, date and office in an answer appears in a cited clause.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from corpus.clean import find_spans, to_match, to_simplified
from corpus.injection import instruction_sentences, is_flagged
from corpus.models import Clause
from index.search import DocumentRefs, Filters, Hit, calibrate
from index.tokenize import places, tokenize
from service.intent import Detail, asked_detail, classify, sentence_has_detail
from service.schemas import AskOut, Citation, FiltersIn, clause_out, hit_out

if TYPE_CHECKING:
    from service.engine import Engine

NOT_FOUND = "在已收录的文件中没有找到能回答这个问题的规定。"
CITE_RATIO = 0.9  # a further clause is cited when its strength is this close to the best one's
MAX_CITED = 3
_SENTENCE = re.compile(r"[^。；;！？\n]+[。；;！？]?")
_LIST_HEADING = re.compile(r"条件|材料|资格|要求|程序|流程|标准")
# The formulas that hand over to the body ("现将有关事项通知如下", "特制定本方案") answer nothing.
# Only a sentence that ends with one is a formula ("特制定本意见，政策期限为2016年至2018年" is not).
_FORMULA = re.compile(r"(?:(?:通知|规定|明确|意见|要求)如下|制定本(?:意见|方案|办法|措施|细则|通知)|"
                      r"现(?:就|将)[^。]{0,40}(?:通知|印发|公告|公布))[。:：；;]?$")
_FOLLOWUP = re.compile(r"^(那|那么|这|它|该|其|此|上述|还有|另外|再)|呢[？?]?$|这项|这个|该项|它的|其中")


@dataclass(frozen=True)
class Draft:
    answer: str
    answerable: bool
    cited: list[Hit]
    warnings: list[str]


@lru_cache(maxsize=1)
def _s2t() -> object:
    import opencc

    return opencc.OpenCC("s2t")


def is_traditional(text: str) -> bool:
    cjk = "".join(c for c in text if "\u3400" <= c <= "\u9fff")
    return bool(cjk) and to_simplified(cjk) != cjk


def in_script(text: str, traditional: bool) -> str:
    return _s2t().convert(text) if traditional else text  # type: ignore[attr-defined, no-any-return]


def sentences(text_match: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.findall(text_match) if s.strip(" 。；;")]


def _overlap(sentence: str, q_tokens: set[str]) -> float:
    tokens = set(tokenize(sentence))
    return sum(len(t) for t in tokens & q_tokens)


def _quotable(clause: Clause) -> list[str]:
    """Sentences an answer may quote: not addressed to a model (corpus.injection), not a formula."""
    flagged = instruction_sentences(clause.text_match)  # with a payload sentence after one
    return [s for s in sentences(clause.text_match)
            if not is_flagged(s, flagged) and not _FORMULA.search(s)]


def _best_sentences(hit: Hit, q_tokens: set[str], intent: str, detail: Detail | None,
                    q_match: str, limit: int = 2) -> list[str]:
    found = _quotable(hit.clause)
    # The heading on a line of its own ("四、支持政策") says nothing the sentences below do not.
    heading = to_match(hit.clause.heading_path[-1]).strip("。 ") if hit.clause.numbered else ""
    found = [s for s in found if s.strip("。 ") != heading] or found
    if not found:
        return []
    # The heading-only first sentence ("1.建设高水平创新载体。") says little on its own.
    scored = []
    for i, s in enumerate(found):
        score = _overlap(s, q_tokens)
        if detail and sentence_has_detail(s, detail, q_match):
            score += 20
        elif intent == "target_number" and re.search(r"\d", s):
            score += 6
        elif intent == "support_measure" and re.search(r"支持|补贴|奖励|给予|扶持", s):
            score += 4
        if len(s) < 14:
            score -= 3
        scored.append((score, -i, s))
    top = sorted(scored, reverse=True)[:limit]
    chosen = {s for score, _, s in top if score > 0} or {top[0][2]}
    return [s for s in found if s in chosen]


def _is_list(clause: Clause) -> bool:
    """A whole short list (申报条件, 申报材料 …) kept as one clause under its heading."""
    return "list" in clause.flags and bool(_LIST_HEADING.search(to_match(clause.heading_path[-1])))


def _list_lines(clause: Clause) -> list[str]:
    heading, *items = [line.strip() for line in clause.text_match.splitlines() if line.strip()]
    return [f"{heading.rstrip('：:')}：", *items]


def _siblings(engine: Engine, hit: Hit, hits: list[Hit]) -> list[Hit]:
    """Items of the same list (1., 2., …) under a heading such as 申报条件 / 申报材料."""
    clause = hit.clause
    parent = clause.heading_path[:-1]
    if not parent or not _LIST_HEADING.search(to_match(parent[-1])):
        return [hit]
    index = engine.generation.index
    by_id = {h.clause.clause_id: h for h in hits}
    items = [c for c in index.clauses
             if c.doc_id == clause.doc_id and c.heading_path[:-1] == parent]
    if len(items) > 10:
        return [hit]
    return [by_id.get(c.clause_id) or Hit(c, 0.0, hit.dense, 0.0, 99) for c in items]


def _strength(hit: Hit, top_bm25: float, embedder_name: str) -> float:
    # RRF scores are too compressed to compare clauses with; this mixes the two raw signals.
    return 0.5 * calibrate(hit.dense, embedder_name) + 0.5 * (hit.bm25 / top_bm25 if top_bm25 else 0)


def _choose_cited(hits: list[Hit], intent: str, embedder_name: str,
                  compared: tuple[str, ...] = ()) -> list[Hit]:
    ranked = list(hits)
    top_bm25 = max(h.bm25 for h in ranked) or 1.0
    preferred = None
    if intent == "responsible_office":
        # A clause that names its 责任单位 answers "who" best, unless it is clearly a weaker
        # match than the top one (which may name the office in its text: "办公室设在市发改委").
        bar = CITE_RATIO * _strength(ranked[0], top_bm25, embedder_name)
        preferred = next((h for h in ranked[:3] if h.clause.offices
                          and _strength(h, top_bm25, embedder_name) >= bar), None)
    elif intent in ("eligibility", "process"):
        preferred = next((h for h in ranked[:3] if _is_list(h.clause)), None) or next(
            (h for h in ranked[:3] if len(h.clause.heading_path) > 1
             and _LIST_HEADING.search(to_match(h.clause.heading_path[-2]))), None)
    if preferred is not None and preferred is not ranked[0]:
        ranked.remove(preferred)
        ranked.insert(0, preferred)
    top = ranked[0]
    bar = CITE_RATIO * _strength(top, top_bm25, embedder_name)
    cited = [top]
    limit = 1 if intent == "responsible_office" else MAX_CITED
    for hit in ranked[1:]:
        if len(cited) >= limit:
            break
        if _strength(hit, top_bm25, embedder_name) >= bar:
            cited.append(hit)
    # "滨州和山东分别…": each compared document's best clause is cited, however it scores.
    for doc in compared:
        if not any(h.clause.doc_id == doc for h in cited):
            cited += [h for h in ranked if h.clause.doc_id == doc][:1]
    return cited


_GENERIC = {"需要", "准备", "具体", "哪些", "什么", "多少", "企业", "政府", "我们", "公司", "今年",
            "能够", "可以", "要求", "规定", "文件", "办理", "申请"}


def _topic(q_match: str, hit: Hit) -> str:
    """The longest stretch of the question that the clause also contains: what the document
    does mention (e.g. 泰山产业领军人才)."""
    text = hit.clause.text_match
    best = ""
    for start in range(len(q_match)):
        for end in range(len(q_match), start + len(best), -1):
            piece = q_match[start:end]
            if piece in text:
                if len(piece) > len(best) and piece not in _GENERIC and re.search(r"[\u4e00-\u9fff]{2}", piece):
                    best = piece
                break
    return best.strip("，,。？?的了") or "相关内容"


@lru_cache(maxsize=1)
def unknown_places(q_match: str, corpus_text: str) -> list[str]:
    """Place names in the question that no indexed document mentions (深圳 when only 滨州 and
    山东 are indexed): a question about another jurisdiction is not answered by these documents."""
    return [name for name in places(q_match) if name not in corpus_text]


# What a document is (its issuer, 文号, date, title), not what it says.
_ABOUT_DOCUMENT = re.compile(r"哪个单位发|哪个部门发|谁发的|谁印发|发文单位|发文机关|印发单位|发布单位|"
                            r"什么时候(?:发|印发|发布|出台)|哪天(?:发|印发|发布)|发布时间|印发时间|成文日期|"
                            r"文号是|文号多少|什么文号|标题是|叫什么名字|全称")


def _document_line(engine: Engine, doc_id: str) -> str | None:
    doc = next((d for d in engine.generation.index.manifest.get("documents", [])
                if d["doc_id"] == doc_id), None)
    if doc is None:
        return None
    parts = [f"《{to_match(doc.get('title') or doc_id)}》"]
    for label, key in (("文号", "doc_number"), ("发文单位", "issuer")):
        if doc.get(key):
            parts.append(f"{label}：{to_match(doc[key])}")
    # the one date a citation carries: when it was issued, else when it was published
    if doc.get("date_issued") or doc.get("date_published"):
        label = "成文日期" if doc.get("date_issued") else "发布日期"
        parts.append(f"{label}：{doc.get('date_issued') or doc.get('date_published')}")
    return "，".join(parts)


def compose(engine: Engine, question: str, hits: list[Hit], confidence: float,
            intent: str, compared: tuple[str, ...] = (), refs: DocumentRefs | None = None) -> Draft:
    q_match = to_match(question)
    refs = refs or DocumentRefs()
    if refs.unknown_numbers and not refs.documents:  # only a 文号 no indexed document has
        return Draft(f"已收录的文件中没有文号为{'、'.join(refs.unknown_numbers)}的文件。", False, [],
                     ["unknown_document_number"])
    if len(refs.documents) == 1 and _ABOUT_DOCUMENT.search(q_match):
        doc_id = next(iter(refs.documents))
        line = _document_line(engine, doc_id)
        first = next((h for h in hits if h.clause.doc_id == doc_id), None)
        if line and first is not None:
            return Draft(f"{line}[1]。", True, [first], [])
    if not hits or confidence < engine.settings.min_confidence:
        return Draft(NOT_FOUND, False, [], [])
    if places := unknown_places(q_match, engine.generation.corpus_text):
        return Draft(f"已收录的文件不涉及{'、'.join(places)}，没有找到能回答这个问题的规定。", False,
                     [], ["unknown_place"])
    detail = asked_detail(q_match)
    q_tokens = set(tokenize(q_match))
    cited = _choose_cited(hits, intent, engine.generation.index.manifest["embedder"]["name"], compared)
    if intent in ("eligibility", "process") and cited[0].clause.heading_path[:-1]:
        items = _siblings(engine, cited[0], hits)
        if len(items) > 1:
            cited = items + [h for h in cited[1:] if h not in items]

    if detail is not None:
        has = [h for h in cited if any(sentence_has_detail(s, detail, q_match)
                                       for s in _quotable(h.clause))]
        if not has:
            # another clause of the same document may state it (一、申报条件 … 五、联系方式);
            # another document's would answer a question about a different policy
            extra = [h for h in hits[:5] if h not in cited and h.clause.doc_id == cited[0].clause.doc_id
                     and any(sentence_has_detail(s, detail, q_match) for s in _quotable(h.clause))]
            top_bm25 = max(h.bm25 for h in hits) or 1.0
            name = engine.generation.index.manifest["embedder"]["name"]
            if extra and _strength(extra[0], top_bm25, name) >= CITE_RATIO * _strength(
                    cited[0], top_bm25, name):
                cited = [extra[0]]
            else:
                topic = _topic(q_match, cited[0])
                return Draft(f"文件提到{topic}，但未规定具体{detail.label}。[1]", False,
                             cited[:1], ["asked_detail_missing"])

    cited = [h for h in cited if _quotable(h.clause)] or cited[:1]  # nothing to quote, nothing to cite
    lines: list[str] = []
    if intent == "responsible_office":
        offices = [o for h in cited for o in h.clause.offices]
        offices = list(dict.fromkeys(offices))
        if offices:
            marks = "".join(f"[{i + 1}]" for i, h in enumerate(cited) if h.clause.offices)
            lines.append(f"责任单位：{'、'.join(offices)}{marks}。")
    if intent in ("eligibility", "process") and len(cited) > 1 and cited[0].clause.heading_path[:-1] \
            and not _is_list(cited[0].clause) \
            and all(h.clause.heading_path[:-1] == cited[0].clause.heading_path[:-1]
                    for h in cited[: len(_siblings(engine, cited[0], hits))]):
        heading = to_match(cited[0].clause.heading_path[-2])
        lines.append(f"{heading}：")
    for i, hit in enumerate(cited, start=1):
        if i == 1 and intent in ("eligibility", "process") and _is_list(hit.clause):
            heading, *items = _list_lines(hit.clause)
            lines += [heading] + [f"{item.rstrip('。；;')}[{i}]。" for item in items]
            continue
        chosen = _best_sentences(hit, q_tokens, intent, detail, q_match,
                                 limit=2 if len(cited) <= 2 else 1)
        for sentence in chosen:
            lines.append(f"{sentence.rstrip('。；;')}[{i}]。")
    answer = "\n".join(lines) if lines else NOT_FOUND
    return Draft(answer, bool(lines), cited, [])


def resolve_followup(messages: list[tuple[str, str]]) -> str:
    """The retrieval query for the last user turn: a follow-up ("那这项工作谁负责？") is read
    together with the previous user question, which names what "这项工作" is."""
    users = [content for role, content in messages if role == "user"]
    current = users[-1].strip()
    if len(users) < 2:
        return current
    q = to_match(current)
    if _FOLLOWUP.search(q) or len(q) <= 8:
        return f"{users[-2].strip()} {current}"
    return current


def to_filters(filters: FiltersIn | None) -> Filters:
    if filters is None:
        return Filters()
    return Filters(tuple(filters.doc_ids), tuple(filters.offices), tuple(filters.kinds))


def answer_question(engine: Engine, question: str, top_k: int | None = None,
                    filters: FiltersIn | None = None, intent_text: str | None = None,
                    llm: bool = True) -> AskOut:
    """``question`` is what retrieval uses; ``intent_text`` (the user's own last turn in a chat)
    decides the intent and the script when given. ``llm=False``: the extractive answer even
    when an LLM is configured (a stream asks the LLM itself, after sending the citations)."""
    started = time.perf_counter()
    generation = engine.generation  # one generation for the whole request
    top_k = top_k or engine.settings.top_k
    own = intent_text or question
    intent = classify(to_match(own))
    if intent == "general":
        intent = classify(to_match(question))
    result = generation.searcher.search(question, max(top_k, 5), to_filters(filters))
    hits = result.hits[:top_k]
    draft = compose(engine, question, hits, result.confidence, intent, result.compared, result.refs)
    mode = "extractive"
    warnings = list(draft.warnings)
    if result.refs.unknown_numbers and "unknown_document_number" not in warnings:
        warnings.append("unknown_document_number")  # another document it names was answered from
    answer = draft.answer
    if llm and engine.settings.llm_base_url and draft.cited:
        from service.generate import generate_llm_answer

        llm_answer, llm_warnings = generate_llm_answer(engine.settings, question, draft.cited)
        warnings += llm_warnings
        if llm_answer is not None:
            answer, mode = llm_answer, "llm"
    traditional = is_traditional(own)
    cited_ids = {h.clause.clause_id for h in draft.cited}
    terms = [t for t in tokenize(to_match(own)) if len(t) >= 2]
    citations = [Citation(n=i, highlights=find_spans(h.clause.text, terms),
                          **clause_out(h.clause, round(h.score, 6), round(h.dense, 4)).model_dump())
                 for i, h in enumerate(draft.cited, start=1)]
    offices = list(dict.fromkeys(o for h in draft.cited for o in h.clause.offices)) \
        if draft.answerable else []
    timing = dict(result.timing_ms)
    timing["total"] = (time.perf_counter() - started) * 1000
    return AskOut(
        answer=in_script(answer, traditional), answerable=draft.answerable, intent=intent,
        citations=citations, offices=offices,
        related=[hit_out(h) for h in result.hits if h.clause.clause_id not in cited_ids][:5],
        confidence=round(result.confidence, 4), mode=mode, warnings=warnings,
        generation=generation.id, timing_ms={k: round(v, 2) for k, v in timing.items()},
    )
