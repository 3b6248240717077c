"""Optional LLM answers over an OpenAI-compatible HTTP API (``POLICYQA_LLM_BASE_URL``).

Owns the prompt (prompts/answer.txt, with named placeholders), the call (httpx, with a
timeout) and the grounding check of what comes back: every sentence must cite an existing
clause number, and every figure it states must appear in the clauses it cites (never in a
sentence of them that addresses a model: see corpus.injection): quantities with their magnitude
(五百万元 is not 50万元), dates, office names, and polarity words (废止, 失效, 无需, 自动, 不得, 免费,
全部, 一律). Any failure returns ``None`` with a warning, and the caller keeps the extractive
answer.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import httpx

from corpus.clean import to_match
from corpus.injection import without_instructions
from index.search import Hit
from service.settings import PROJECT_ROOT, Settings

PROMPT_PATH = PROJECT_ROOT / "prompts" / "answer.txt"
_CITE = re.compile(r"\[(\d+)\]")
# A quantity with its magnitude: "1亿" must not pass because "10" appears in the clause.
_QUANTITY = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?:万亿|亿|万|千)?")
_SENTENCE = re.compile(r"[^。！？\n]+[。！？]?")


def prompt_template(path: Path = PROMPT_PATH) -> str:
    return path.read_text(encoding="utf-8")


def prompt_hash(path: Path = PROMPT_PATH) -> str:
    return hashlib.sha1(path.read_bytes()).hexdigest()[:12]


def _readable(hit: Hit) -> str:
    """What the model may read of a clause: its text without sentences addressed to a model."""
    return without_instructions(hit.clause.text_match)


def build_prompt(question: str, cited: list[Hit]) -> str:
    clauses = "\n".join(f"[{i}] 《{h.clause.title or ''}》{' > '.join(h.clause.heading_path)}：{_readable(h)}"
                        for i, h in enumerate(cited, start=1))
    return prompt_template().format(clauses=clauses, question=question)


# --- grounding: every figure an LLM sentence states must be in the clauses it cites --------
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_MAGNITUDE = {"万亿": 10**12, "亿": 10**8, "万": 10**4, "千": 10**3}
_ARABIC = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*(万亿|亿|万|千)?")
_CN_NUMBER = re.compile(r"[零〇一二两三四五六七八九十百千万亿]+")
_CN_COUNTED = re.compile(r"[元个家人名项年月日天倍次岁亩台套件户所批期级%]")
_PERCENT = re.compile(r"百分之([零〇一二两三四五六七八九十百千万亿\d.]+)")
_DATE = re.compile(r"(\d{4})\s*年(?:\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*[日号])?)?"
                   r"|(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"
                   r"|(?<!\d)(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")
# An office: the two characters before its kind, which the cited clauses must contain
# (市科技局 and 市财政局 differ there); words that merely end like one (布局, 大厅) are not offices.
_OFFICE = re.compile(
    r"[\u4e00-\u9fff]{2}(?:委员会|办公室|办公厅|(?<![布格大结当开全时骗饭棋赌])局|(?<![餐客大门展])厅)"
    r"|(?:组织|宣传|统战|财政|商务|教育|科技|工业和信息化|人力资源和社会保障|自然资源|生态环境|"
    r"住房和城乡建设|交通运输|水利|农业农村|文化和旅游|应急管理|民政|司法|公安|发展改革)部")
# Words that change what a policy means; an answer may use one only if a cited clause does.
POLARITY = {
    "废止": ("废止", "废除", "作废"),
    "失效": ("失效", "不再有效", "停止执行", "停止实施", "过期"),
    "无需": ("无需", "无须", "不需要", "不需", "不必", "不用", "免于", "免予", "免申"),
    "自动": ("自动",),
    "不得": ("不得", "禁止", "严禁", "不准", "不允许"),
    "免费": ("免费", "免收", "无偿", "不收费", "零收费"),
    "全部": ("全部", "所有", "全额", "一切"),
    "一律": ("一律", "一概", "统统"),
}


def _cn_value(text: str) -> float | None:
    """二〇二四 → 2024, 五百万 → 5000000, 十二 → 12, 两千 → 2000; None if not a number."""
    if not any(c in _CN_DIGITS or c in _CN_UNITS or c in "万亿" for c in text):
        return None
    if all(c in _CN_DIGITS for c in text) and len(text) > 1:  # digit by digit: 二〇二四
        return float("".join(str(_CN_DIGITS[c]) for c in text))
    total, section, digit = 0, 0, 0
    for char in text:
        if char in _CN_DIGITS:
            digit = _CN_DIGITS[char]
        elif char in _CN_UNITS:
            section += (digit or 1) * _CN_UNITS[char]
            digit = 0
        elif char == "万":
            total += (section + digit) * 10**4
            section = digit = 0
        elif char == "亿":
            total = (total + section + digit) * 10**8
            section = digit = 0
    return float(total + section + digit)


def quantities(text: str) -> set[float]:
    """Every quantity in ``text`` (matching form) as a value, magnitude included: 50万 and 五十万
    are 500000, 500万 is not."""
    found = set()
    for number, magnitude in _ARABIC.findall(text):
        found.add(round(float(number) * _MAGNITUDE.get(magnitude, 1), 6))
    for match in _CN_NUMBER.finditer(text):
        run = match.group()
        if match.start() and (text[match.start() - 1].isdigit() or text[match.start() - 1] == "."):
            continue  # the magnitude of an Arabic number (50万): counted above
        if not any(c in _CN_DIGITS or c == "十" for c in run):
            continue  # 千万 (an adverb), 万 alone: no digit, no number
        counted = bool(_CN_COUNTED.match(text, match.end()))
        if len(run) < 2 and not counted:
            continue  # 统一, 一律, 进一步: not quantities
        if not counted and not any(c in _CN_UNITS or c in "万亿" for c in run):
            continue
        value = _cn_value(run)
        if value is not None:
            found.add(round(value, 6))
    for run in _PERCENT.findall(text):
        value = _cn_value(run) if not run[0].isdigit() else float(run) if run.replace(".", "", 1).isdigit() else None
        if value is not None:
            found.add(round(value, 6))
    return found


def dates(text: str) -> set[tuple[int | None, int | None, int | None]]:
    found: set[tuple[int | None, int | None, int | None]] = set()
    converted = re.sub(r"[零〇一二三四五六七八九]{4}(?=年)",
                       lambda m: str(int(_cn_value(m.group()) or 0)), text)
    for match in _DATE.finditer(converted):
        g = match.groups()
        if g[0]:
            found.add((int(g[0]), int(g[1]) if g[1] else None, int(g[2]) if g[2] else None))
        elif g[3]:
            found.add((int(g[3]), int(g[4]), int(g[5])))
        else:
            found.add((None, int(g[6]), int(g[7])))
    return found


def offices(text: str) -> set[str]:
    return set(_OFFICE.findall(text))


def polarity(text: str) -> set[str]:
    return {group for group, words in POLARITY.items() if any(w in text for w in words)}


def _date_supported(date: tuple[int | None, int | None, int | None],
                    known: set[tuple[int | None, int | None, int | None]]) -> bool:
    return any(all(a is None or a == b for a, b in zip(date, other, strict=True)) for other in known)


def _sources(hits: list[Hit]) -> str:
    """What cited clauses state, as the model read it (no sentence addressed to a model), with
    their titles, headings, offices, 文号 and date."""
    parts = []
    for hit in hits:
        clause = hit.clause
        parts += [_readable(hit), to_match(clause.title or ""),
                  *(to_match(h) for h in clause.heading_path), *clause.offices,
                  to_match(clause.doc_number or ""), clause.date or ""]
    return "\n".join(parts)


def unsupported(sentence: str, hits: list[Hit]) -> list[str]:
    """What ``sentence`` (matching form, citation marks removed) states that ``hits`` do not:
    quantities with their magnitude, dates, office names and polarity words."""
    sources = _sources(hits)
    problems = [f"quantity {q:g}" for q in sorted(quantities(sentence) - quantities(sources))]
    known_dates = dates(sources)
    for iso in re.findall(r"(\d{4})-(\d{2})-(\d{2})", sources):  # citation dates, ISO
        known_dates.add((int(iso[0]), int(iso[1]), int(iso[2])))
    problems += [f"date {'-'.join(str(p) for p in d if p is not None)}"
                 for d in sorted(dates(sentence), key=str) if not _date_supported(d, known_dates)]
    problems += [f"office {o}" for o in sorted(offices(sentence)) if o not in sources]
    problems += [f"polarity {p}" for p in sorted(polarity(sentence) - polarity(sources))]
    return problems


def check_grounding(answer: str, cited: list[Hit]) -> tuple[str | None, list[str]]:
    """The LLM answer if every figure it states is supported by the clauses each sentence cites
    (quantities with their magnitude, dates, offices, polarity words such as 废止, 无需, 自动);
    otherwise ``None`` with a warning naming what was unsupported. A sentence that cites
    nothing (or a clause that does not exist) is dropped if it states no figure, and fails the
    answer if it does."""
    kept: list[str] = []
    dropped = 0
    for sentence in (s.strip() for s in _SENTENCE.findall(answer)):
        if not sentence:
            continue
        numbers = [int(n) for n in _CITE.findall(sentence)]
        body = _CITE.sub("", to_match(sentence))
        valid = bool(numbers) and all(1 <= n <= len(cited) for n in numbers)
        sources = [cited[n - 1] for n in numbers] if valid else []
        problems = unsupported(body, sources)
        if problems:
            return None, [f"llm_unsupported: {'; '.join(problems[:3])}", "llm_answer_ungrounded"]
        if not valid:
            dropped += 1
            continue
        kept.append(sentence)
    warnings = [f"llm_sentences_dropped:{dropped}"] if dropped else []
    if not kept:
        return None, [*warnings, "llm_answer_ungrounded"]
    return "".join(kept), warnings


def generate_llm_answer(settings: Settings, question: str,
                        cited: list[Hit]) -> tuple[str | None, list[str]]:
    headers = {"Authorization": f"Bearer {settings.llm_api_key}"} if settings.llm_api_key else {}
    payload = {"model": settings.llm_model, "temperature": 0,
               "messages": [{"role": "user", "content": build_prompt(question, cited)}]}
    try:
        response = httpx.post(f"{str(settings.llm_base_url).rstrip('/')}/chat/completions",
                              json=payload, headers=headers, timeout=settings.llm_timeout_s)
        response.raise_for_status()
        content = response.json()["choices"][0]["message"]["content"]
    except httpx.TimeoutException:
        return None, ["llm_timeout: fell back to the extractive answer"]
    except (httpx.HTTPError, KeyError, IndexError, TypeError, ValueError) as exc:
        return None, [f"llm_error: {exc.__class__.__name__}: fell back to the extractive answer"]
    answer, warnings = check_grounding(str(content), cited)
    if answer is None:
        warnings.append("llm_check_failed: fell back to the extractive answer")
    return answer, warnings
