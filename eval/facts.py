"""Score a clause-fact extractor against the blind labelled sample in ``eval/gold/facts.jsonl``.

The extractor under test has the signature of ``corpus.extract_facts.extract_facts``:
``extract(text_match: str) -> Iterable[Fact]`` (the dataclasses of ``corpus/facts.py``; plain dicts
shaped like ``fact_to_json`` are accepted too).

Gold file
---------
One JSON object per line: ``{"id", "doc", "anchor" | "text", "facts": [...]}``.

- ``doc`` is a path relative to the shared corpus root (``corpus-dev2/guides/<file>``,
  ``corpus/<file>``, ``corpus-extra/<file>``) or ``"synthetic"``.
- For a document entry the clause is found by ingesting that one document through the project's
  pipeline (``corpus.ingest.ingest_paths``) and taking the clause whose ``text_match`` contains
  ``anchor``. An anchor that matches no clause, or more than one, is reported in
  ``result["errors"]``; that entry is not scored (it is never skipped silently).
- A synthetic entry carries its own clause in ``text`` (NFKC, matching form).
- A gold fact gives only the fields the labeller was sure of; absent fields are not checked.

Matching rules
--------------
Facts are compared type by type within one clause. A predicted fact may match an unmatched gold
fact of the same type when:

- **condition**: same ``subject`` and ``comparator``; when the gold gives ``value`` the predicted
  value is within 1 % of it, and likewise ``upper`` when the gold gives it. (A categorical gold
  condition, ``comparator == "in"`` without a value, matches on subject and comparator; its
  ``values`` are informative and not compared.)
- **support**: same ``kind``, and every numeric field the gold gives among ``amount``, ``ratio``
  and ``cap`` is present in the prediction and within 1 %. (``base``, ``tiers`` and ``once`` are
  not part of the match; ``once`` and the tier amounts are reported as diagnostics.)
- **date**: same ``kind``; ``value`` equal when the gold gives it, ``end`` equal when the gold gives
  it, ``years`` within 1 % when the gold gives it.
- **office**: names equal after removing whitespace. A role mismatch still matches the name; the
  share of matched offices whose role is right is reported separately as ``office_role``.
- **material**: after removing whitespace, the gold item is contained in the predicted item or the
  predicted item (non-empty) is contained in the gold item.
- **contact**: same ``kind`` and the same value after removing whitespace and dashes
  (``-`` ``‐`` ``–`` ``—`` ``－``), compared case-insensitively.

Within a clause and a type the pairing is a maximum bipartite matching over the "may match"
relation (so the count does not depend on the order facts are listed in). Matched pairs are true
positives, unmatched predictions false positives, unmatched gold facts false negatives.
Precision, recall and F1 are reported per type, micro-averaged over all types (``overall``), and
micro-averaged per source folder (``by_folder``). If ``extract`` raises on a clause, the error is
recorded and that clause's gold facts count as misses.

Run ``python -m eval.facts`` (``--details`` lists misses and spurious facts per clause).
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import json
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import Any

from corpus.facts import (
    CONTACT_KINDS,
    DATE_KINDS,
    OFFICE_ROLES,
    SUBJECTS,
    SUPPORT_KINDS,
    fact_from_json,
    fact_to_json,
)

GOLD_PATH = Path(__file__).resolve().parent / "gold" / "facts.jsonl"
DEFAULT_SHARED = Path(__file__).resolve().parents[1].parent / "shared"
TYPES = ("condition", "support", "date", "office", "material", "contact")
COMPARATORS = (">=", ">", "<=", "<", "==", "between", "in")
REL_TOL = 0.01
SYNTHETIC = "synthetic"

Extractor = Callable[[str], Iterable[Any]]

_SPACE = re.compile(r"\s+")
_DASHES = re.compile(r"[-‐‑‒–—―－]")


# ----------------------------------------------------------------------------------------------
# Gold file


def load_gold(path: Path | str = GOLD_PATH) -> list[dict[str, Any]]:
    """Read and validate the gold file; raise ``ValueError`` naming the line of any bad entry."""
    entries: list[dict[str, Any]] = []
    seen: set[str] = set()
    for lineno, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
            _validate_entry(entry)
        except (ValueError, TypeError, KeyError) as exc:
            raise ValueError(f"{path}:{lineno}: {exc}") from exc
        if entry["id"] in seen:
            raise ValueError(f"{path}:{lineno}: duplicate id {entry['id']}")
        seen.add(entry["id"])
        entries.append(entry)
    return entries


def _validate_entry(entry: dict[str, Any]) -> None:
    for key in ("id", "doc", "facts"):
        if key not in entry:
            raise ValueError(f"missing {key!r}")
    if entry["doc"] == SYNTHETIC:
        if not entry.get("text"):
            raise ValueError("a synthetic entry needs 'text'")
    elif not entry.get("anchor"):
        raise ValueError("a document entry needs 'anchor'")
    for fact in entry["facts"]:
        _validate_fact(fact)


def _validate_fact(fact: dict[str, Any]) -> None:
    kind = fact.get("type")
    if kind not in TYPES:
        raise ValueError(f"unknown fact type {kind!r}")
    fact_from_json(fact)  # the contract's own constructor: unknown fields raise TypeError
    if kind == "condition":
        if fact["subject"] not in SUBJECTS:
            raise ValueError(f"unknown subject {fact['subject']!r}")
        if fact["comparator"] not in COMPARATORS:
            raise ValueError(f"unknown comparator {fact['comparator']!r}")
        if fact["comparator"] == "between" and ("value" not in fact or "upper" not in fact):
            raise ValueError("a between condition needs value and upper")
    elif kind == "support" and fact["kind"] not in SUPPORT_KINDS:
        raise ValueError(f"unknown support kind {fact['kind']!r}")
    elif kind == "date" and fact["kind"] not in DATE_KINDS:
        raise ValueError(f"unknown date kind {fact['kind']!r}")
    elif kind == "office" and fact.get("role", "责任") not in OFFICE_ROLES:
        raise ValueError(f"unknown office role {fact['role']!r}")
    elif kind == "contact" and fact["kind"] not in CONTACT_KINDS:
        raise ValueError(f"unknown contact kind {fact['kind']!r}")


def folder_of(doc: str) -> str:
    """``guides`` / ``published`` / ``regulations`` for dev2, else the corpus folder or synthetic."""
    parts = doc.split("/")
    if parts[0] == "corpus-dev2" and len(parts) > 2:
        return parts[1]
    return parts[0]


# ----------------------------------------------------------------------------------------------
# Resolving anchors to clause text


def resolve(entries: list[dict[str, Any]], shared_root: Path | str
            ) -> tuple[dict[str, str], list[str]]:
    """Text of each entry's clause (``text_match``), and one error line per unresolved entry."""
    from corpus.ingest import ingest_paths

    shared = Path(shared_root)
    texts: dict[str, str] = {}
    errors: list[str] = []
    cache: dict[str, list[str] | None] = {}
    for entry in entries:
        if entry["doc"] == SYNTHETIC:
            texts[entry["id"]] = unicodedata.normalize("NFKC", entry["text"])
            continue
        doc = entry["doc"]
        if doc not in cache:
            path = shared / doc
            if not path.is_file():
                cache[doc] = None
            else:
                corpus = ingest_paths([path])
                cache[doc] = [c.text_match for c in corpus.clauses]
        clauses = cache[doc]
        if clauses is None:
            errors.append(f"{entry['id']}: document not found: {shared / doc}")
            continue
        anchor = unicodedata.normalize("NFKC", entry["anchor"])
        hits = [t for t in clauses if anchor in t]
        if len(hits) == 1:
            texts[entry["id"]] = hits[0]
        elif not hits:
            errors.append(f"{entry['id']}: anchor matches no clause of {doc}: {anchor!r}")
        else:
            errors.append(f"{entry['id']}: anchor matches {len(hits)} clauses of {doc}: {anchor!r}")
    return texts, errors


# ----------------------------------------------------------------------------------------------
# Matching


def as_dict(fact: Any) -> dict[str, Any]:
    """A predicted fact as a ``fact_to_json``-shaped dict."""
    if isinstance(fact, dict):
        return dict(fact)
    if dataclasses.is_dataclass(fact) and not isinstance(fact, type) and hasattr(fact, "type"):
        return fact_to_json(fact)  # type: ignore[arg-type]
    raise TypeError(f"not a fact: {fact!r}")


def _close(pred: Any, gold: float) -> bool:
    if not isinstance(pred, (int, float)) or isinstance(pred, bool):
        return False
    if gold == 0:
        return pred == 0
    return abs(float(pred) - gold) <= REL_TOL * abs(gold)


def _given(fact: dict[str, Any], key: str) -> bool:
    return fact.get(key) is not None


def _squash(text: Any) -> str:
    return _SPACE.sub("", str(text or ""))


def _match_condition(gold: dict[str, Any], pred: dict[str, Any]) -> bool:
    if gold["subject"] != pred.get("subject") or gold["comparator"] != pred.get("comparator"):
        return False
    return all(_close(pred.get(key), gold[key]) for key in ("value", "upper") if _given(gold, key))


def _match_support(gold: dict[str, Any], pred: dict[str, Any]) -> bool:
    if gold["kind"] != pred.get("kind"):
        return False
    return all(_close(pred.get(key), gold[key])
               for key in ("amount", "ratio", "cap") if _given(gold, key))


def _match_date(gold: dict[str, Any], pred: dict[str, Any]) -> bool:
    if gold["kind"] != pred.get("kind"):
        return False
    for key in ("value", "end"):
        if _given(gold, key) and gold[key] != pred.get(key):
            return False
    return not _given(gold, "years") or _close(pred.get("years"), gold["years"])


def _match_office(gold: dict[str, Any], pred: dict[str, Any]) -> bool:
    return _squash(gold["name"]) == _squash(pred.get("name")) != ""


def _match_material(gold: dict[str, Any], pred: dict[str, Any]) -> bool:
    g, p = _squash(gold["item"]), _squash(pred.get("item"))
    return bool(p) and (g in p or p in g)


def _contact_key(value: Any) -> str:
    return _DASHES.sub("", _squash(value)).casefold()


def _match_contact(gold: dict[str, Any], pred: dict[str, Any]) -> bool:
    return gold["kind"] == pred.get("kind") and _contact_key(gold["value"]) == _contact_key(
        pred.get("value"))


MATCHERS: dict[str, Callable[[dict[str, Any], dict[str, Any]], bool]] = {
    "condition": _match_condition,
    "support": _match_support,
    "date": _match_date,
    "office": _match_office,
    "material": _match_material,
    "contact": _match_contact,
}


def _affinity(gold: dict[str, Any], pred: dict[str, Any]) -> int:
    """How well a matching pair also agrees on the fields the match ignores (a tie-breaker only)."""
    keys = ("role", "once", "base", "unit", "scope")
    score = sum(gold.get(k) == pred.get(k) for k in keys if gold.get(k) is not None)
    if gold.get("tiers"):
        score += 2 * (_tier_amounts(gold) == _tier_amounts(pred))
    return score


def _negated(prefer: Callable[[int, int], int], i: int, j: int) -> int:
    return -prefer(i, j)


def max_matching(n_gold: int, n_pred: int, ok: Callable[[int, int], bool],
                 prefer: Callable[[int, int], int] | None = None) -> list[tuple[int, int]]:
    """Maximum bipartite matching (augmenting paths); pairs of (gold index, predicted index).

    ``prefer`` orders each gold fact's candidates (higher first): it can change which pairs are
    chosen among equally large matchings, never how many."""
    edges = [[j for j in range(n_pred) if ok(i, j)] for i in range(n_gold)]
    if prefer is not None:
        edges = [sorted(row, key=partial(_negated, prefer, i)) for i, row in enumerate(edges)]
    owner: list[int | None] = [None] * n_pred

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j in seen:
                continue
            seen.add(j)
            current = owner[j]
            if current is None or augment(current, seen):
                owner[j] = i
                return True
        return False

    for i in range(n_gold):
        augment(i, set())
    return sorted((i, j) for j, i in enumerate(owner) if i is not None)


def _pair(kind: str, gold: list[dict[str, Any]], pred: list[dict[str, Any]]
          ) -> list[tuple[int, int]]:
    matcher = MATCHERS.get(kind)
    if matcher is None:  # a type outside the contract: every prediction is spurious
        return []
    return max_matching(len(gold), len(pred), lambda i, j: matcher(gold[i], pred[j]),
                        lambda i, j: _affinity(gold[i], pred[j]))


def match_clause(gold: list[dict[str, Any]], pred: list[dict[str, Any]]
                 ) -> dict[str, dict[str, list[Any]]]:
    """Per type: ``pairs`` (gold, pred), ``missed`` gold facts, ``spurious`` predicted facts."""
    out: dict[str, dict[str, list[Any]]] = {}
    types = list(TYPES) + sorted({str(p.get("type")) for p in pred} - set(TYPES))
    for kind in types:
        g = [f for f in gold if f["type"] == kind]
        p = [f for f in pred if f.get("type") == kind]
        if not g and not p:
            continue
        pairs = _pair(kind, g, p)
        used_g = {i for i, _ in pairs}
        used_p = {j for _, j in pairs}
        out[kind] = {
            "pairs": [(g[i], p[j]) for i, j in pairs],
            "missed": [f for i, f in enumerate(g) if i not in used_g],
            "spurious": [f for j, f in enumerate(p) if j not in used_p],
        }
    return out


# ----------------------------------------------------------------------------------------------
# Scoring


def _prf(tp: int, fp: int, fn: int) -> dict[str, Any]:
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    if precision is None or recall is None:
        f1 = None
    else:
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "gold": tp + fn, "pred": tp + fp,
            "precision": precision, "recall": recall, "f1": f1}


def _accuracy(right: int, total: int) -> dict[str, Any]:
    return {"matched": total, "correct": right, "accuracy": right / total if total else None}


def _tier_amounts(fact: dict[str, Any]) -> list[float]:
    return sorted(float(t.get("amount") or t.get("ratio") or t.get("cap") or 0)
                  for t in fact.get("tiers") or ())


def default_extractor() -> Extractor:
    from corpus.extract_facts import extract_facts

    return extract_facts  # type: ignore[no-any-return]


def score(gold_path: Path | str = GOLD_PATH, extract: Extractor | None = None,
          shared_root: Path | str = DEFAULT_SHARED) -> dict[str, Any]:
    """Run ``extract`` on every labelled clause and compare with the gold facts (rules above)."""
    if extract is None:
        extract = default_extractor()
    entries = load_gold(gold_path)
    texts, errors = resolve(entries, shared_root)

    counts = {kind: [0, 0, 0] for kind in TYPES}
    folders: dict[str, list[int]] = {}
    role = [0, 0]
    once = [0, 0]
    tiers = [0, 0]
    details: list[dict[str, Any]] = []
    scored = 0
    for entry in entries:
        if entry["id"] not in texts:
            continue
        scored += 1
        text = texts[entry["id"]]
        try:
            pred = [as_dict(f) for f in extract(text)]
        except Exception as exc:  # noqa: BLE001 - a crash on one clause must not end the run
            errors.append(f"{entry['id']}: extract raised {type(exc).__name__}: {exc}")
            pred = []
        matched = match_clause(entry["facts"], pred)
        folder = folders.setdefault(folder_of(entry["doc"]), [0, 0, 0])
        missed: list[dict[str, Any]] = []
        spurious: list[dict[str, Any]] = []
        for kind, m in matched.items():
            tp, fp, fn = len(m["pairs"]), len(m["spurious"]), len(m["missed"])
            row = counts.setdefault(kind, [0, 0, 0])
            for k, v in enumerate((tp, fp, fn)):
                row[k] += v
                folder[k] += v
            missed += m["missed"]
            spurious += m["spurious"]
            for g, p in m["pairs"]:
                if kind == "office":
                    role[1] += 1
                    role[0] += g.get("role", "责任") == p.get("role", "责任")
                elif kind == "support":
                    if g.get("once"):
                        once[1] += 1
                        once[0] += bool(p.get("once"))
                    if g.get("tiers"):
                        tiers[1] += 1
                        tiers[0] += _tier_amounts(g) == _tier_amounts(p)
        if missed or spurious:
            details.append({"id": entry["id"], "doc": entry["doc"], "text": text,
                            "missed": missed, "spurious": spurious})

    total = [sum(row[k] for row in counts.values()) for k in range(3)]
    return {
        "per_type": {kind: _prf(*row) for kind, row in counts.items()},
        "overall": _prf(*total),
        "by_folder": {name: _prf(*row) for name, row in sorted(folders.items())},
        "office_role": _accuracy(*role),
        "support_once": _accuracy(*once),
        "support_tiers": _accuracy(*tiers),
        "clauses": len(entries),
        "scored": scored,
        "errors": errors,
        "details": details,
    }


# ----------------------------------------------------------------------------------------------
# Printing


def _pct(value: float | None) -> str:
    return "    -" if value is None else f"{100 * value:5.1f}"


def _row(name: str, m: dict[str, Any]) -> str:
    return (f"{name:<13}{m['gold']:>6}{m['pred']:>6}{m['tp']:>6}{m['fp']:>6}{m['fn']:>6}"
            f"  {_pct(m['precision'])}  {_pct(m['recall'])}  {_pct(m['f1'])}")


def format_table(result: dict[str, Any]) -> str:
    head = f"{'':<13}{'gold':>6}{'pred':>6}{'tp':>6}{'fp':>6}{'fn':>6}      P       R      F1"
    lines = [f"clause facts: {result['scored']}/{result['clauses']} labelled clauses scored", head]
    lines += [_row(kind, m) for kind, m in result["per_type"].items()]
    lines.append(_row("overall", result["overall"]))
    lines.append("")
    lines.append("by folder (micro over all types)")
    lines += [_row(name, m) for name, m in result["by_folder"].items()]
    lines.append("")
    for key, label in (("office_role", "office role accuracy"),
                       ("support_once", "support once kept"),
                       ("support_tiers", "support tiers exact")):
        a = result[key]
        lines.append(f"{label:<28}{a['correct']:>4}/{a['matched']:<4} {_pct(a['accuracy'])}")
    if result["errors"]:
        lines.append("")
        lines.append(f"ERRORS ({len(result['errors'])}):")
        lines += [f"  {e}" for e in result["errors"]]
    return "\n".join(lines)


def format_details(result: dict[str, Any]) -> str:
    lines: list[str] = []
    for d in result["details"]:
        lines.append(f"[{d['id']}] {d['doc']}: {d['text'][:80]}")
        lines += [f"   missed   {json.dumps(f, ensure_ascii=False)}" for f in d["missed"]]
        lines += [f"   spurious {json.dumps(f, ensure_ascii=False)}" for f in d["spurious"]]
    return "\n".join(lines)


def _load_callable(spec: str) -> Extractor:
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name or "extract_facts")  # type: ignore


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--gold", default=str(GOLD_PATH))
    parser.add_argument("--shared", default=str(DEFAULT_SHARED))
    parser.add_argument("--extractor", default="corpus.extract_facts:extract_facts",
                        help="module:function to score (default: %(default)s)")
    parser.add_argument("--details", action="store_true", help="list misses per clause")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    result = score(args.gold, _load_callable(args.extractor), args.shared)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
    else:
        print(format_table(result))
        if args.details:
            print()
            print(format_details(result))
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
