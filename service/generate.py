"""Optional LLM answers over an OpenAI-compatible HTTP API (``POLICYQA_LLM_BASE_URL``).

Owns the prompt (prompts/answer.txt, with named placeholders), the call (httpx, with a
timeout) and the grounding check of what comes back: every sentence must cite an existing
clause number and every number in it must appear in a cited clause (never in a sentence of it
that addresses a model: see corpus.injection). Any failure returns
``None`` with a warning, and the caller keeps the extractive answer.
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


def check_grounding(answer: str, cited: list[Hit]) -> tuple[str | None, list[str]]:
    """Keep sentences that cite existing clauses and state only numbers found in them."""
    kept: list[str] = []
    dropped = 0
    for sentence in (s.strip() for s in _SENTENCE.findall(answer)):
        if not sentence:
            continue
        numbers = [int(n) for n in _CITE.findall(sentence)]
        if not numbers or any(n < 1 or n > len(cited) for n in numbers):
            dropped += 1
            continue
        sources = "".join(_readable(cited[n - 1]) for n in numbers)
        body = _CITE.sub("", to_match(sentence))
        if not set(_QUANTITY.findall(body)) <= set(_QUANTITY.findall(sources)):
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
