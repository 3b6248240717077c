"""Which words of a question are places: jieba tags words ``ns`` by its dictionary, and some
of those are common words (东西, 中外). A place counts when the question writes it with an
administrative suffix (南山区, 龙岩市), or it is a provincial- or prefecture-level name
(question/data/places.txt, general knowledge), or a county-level one (孝义, 越秀: China's
administrative division codes as the ``cpca`` package ships them), or an indexed document's
title or issuer names it (the catalogue). The gazetteer also knows each place's city and
province and common short names (呼市 = 呼和浩特), so a question about 佛山 is not refused where
广东's documents are indexed, and one about 孝义 is answered by 吕梁's or 山西's."""

from __future__ import annotations

import csv
import importlib.util
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from corpus.tokenize import tagged_places, tagged_words, word_frequency

# A county-level name jieba knows as a common word (和平 7998, 长安 5355, 东方 3993) is taken for
# a place only when tagged or suffixed as one; rarer names (孝义 95, 越秀 64, 顺德 111) always.
COMMON_WORD_FREQUENCY = 1000
# Provinces that are cities: texts write them 北京市, and their offices are 市's.
MUNICIPALITIES = frozenset({"北京", "上海", "天津", "重庆"})
# The 56 nationalities' names as autonomous areas carry them (阿坝藏族羌族自治州 is 阿坝).
_AUTONOMOUS = re.compile(r"自治[州县旗区]$")
_LEVEL = re.compile(r"(?:特别行政区|地区|林区|新区|矿区|特区|盟|省|市|县|区|旗)$")
# Placeholders of the code table, not places (市辖区, 省直辖县级行政区划).
_PLACEHOLDER = re.compile(r"^(?:市辖区|县|省直辖县级行政区划|自治区直辖县级行政区划)$")


@dataclass(frozen=True)
class Gazetteer:
    names: frozenset[str]  # every province, prefecture-level city and alias (places.txt)
    province: dict[str, str]  # city -> its province
    full: dict[str, str]  # alias -> the name documents write
    counties: frozenset[str] = frozenset()  # county-level names, short and full (孝义, 孝义市)
    parents: dict[str, tuple[str, ...]] | None = None  # a place -> its cities and provinces

    def forms(self, name: str) -> tuple[str, ...]:
        """How documents may write a place a question names, and the city and province it lies
        in (every one, where several counties share a name: 鼓楼)."""
        full = self.full.get(name, name)
        above = (self.parents or {}).get(full, ())
        return tuple(dict.fromkeys(f for f in (name, full, self.province.get(full), *above) if f))

    def knows(self, name: str) -> bool:
        return name in self.names or name in self.counties


def short_name(name: str, nationalities: Iterable[str] = ()) -> str:
    """A division's name as people write it without its level: 孝义市 → 孝义, 甘南藏族自治州 →
    甘南, 浦东新区 → 浦东; the full name where that would leave one character (城区)."""
    base = name
    if _AUTONOMOUS.search(base):
        base = _AUTONOMOUS.sub("", base)
        stripped = True
        while stripped:  # several nationalities (阿坝藏族羌族)
            stripped = False
            for nation in nationalities:
                if base.endswith(nation) and len(base) - len(nation) >= 2:
                    base, stripped = base[: -len(nation)], True
    else:
        base = _LEVEL.sub("", base)
    return base if len(base) >= 2 else name


def _cpca_resources() -> Path | None:
    spec = importlib.util.find_spec("cpca")  # found without importing it (it loads pandas)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "resources"


def _divisions() -> tuple[frozenset[str], dict[str, tuple[str, ...]]]:
    """County- and prefecture-level names (short and full) and each one's city and province
    (short names), from the administrative division codes: 6 digits name the province (2),
    the city (4) and the county."""
    folder = _cpca_resources()
    if folder is None:
        return frozenset(), {}
    nations = [line.strip() for line in (folder / "56_nations.csv").read_text(encoding="utf-8").splitlines()
               if line.strip()]
    # 藏族 is also written 藏 (阿坝藏族羌族自治州 but 海南藏族自治州, 克孜勒苏柯尔克孜自治州)
    nations = sorted(set(nations) | {n[:-1] for n in nations if n.endswith("族") and len(n) > 2},
                     key=len, reverse=True)
    by_code: dict[str, str] = {}
    with (folder / "adcodes.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if not _PLACEHOLDER.match(row["name"]):
                by_code[row["adcode"][:6]] = row["name"]
    names: set[str] = set()
    parents: dict[str, set[str]] = {}
    for code, name in by_code.items():
        if code.endswith("0000"):
            continue  # provinces: places.txt
        above = [by_code.get(code[:4] + "00"), by_code.get(code[:2] + "0000")]
        shorts = {short_name(a, nations) for a in above if a and a != name}
        short = short_name(name, nations)
        if short == name and _LEVEL.search(name):
            continue  # a generic name (城区, 郊区, 矿区) locates nothing
        for form in {name, short}:
            names.add(form)
            parents.setdefault(form, set()).update(shorts - {form})
    return frozenset(names), {k: tuple(sorted(v)) for k, v in parents.items()}


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    text = resources.files("question").joinpath("data/places.txt").read_text(encoding="utf-8")
    names: set[str] = set()
    province: dict[str, str] = {}
    full: dict[str, str] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if "=" in line:
            short, _, long = (part.strip() for part in line.partition("="))
            full[short] = long
            names.add(short)
            continue
        head, _, rest = line.partition(":")
        names.add(head.strip())
        for city in rest.split():
            names.add(city)
            province[city] = head.strip()
    counties, parents = _divisions()
    return Gazetteer(frozenset(names), province, full, counties - names, parents)


@lru_cache(maxsize=1)
def suffixed_counties() -> frozenset[str]:
    """County-level names as written with their level (孝义市, 越秀区): a text that writes one
    names a place; a short name alone (和平, 东方) may be a common word."""
    return frozenset(n for n in gazetteer().counties if len(n) >= 3 and _LEVEL.search(n))


def asked_places(q_match: str, known: Iterable[str] = ()) -> tuple[str, ...]:
    """The places a (matching-form) question names, without their suffixes; ``known``: the
    places the indexed documents' titles and issuers name. Besides the words jieba tags as
    places, a city or county name it tags otherwise (龙岩 nr, 孝义 n, 越秀 nr) unless it is a common word,
    and a city name it cuts in two (台中 as 台 | 中)."""
    known = set(known)
    g = gazetteer()
    # a word jieba tags a place in a title (上市 in 上市奖励办法) is one only when it is rare
    found = [name for name, suffixed in tagged_places(q_match)
             if suffixed or g.knows(name)
             or (name in known and word_frequency(name) < COMMON_WORD_FREQUENCY)]
    words = tagged_words(q_match)
    for n, (word, flag) in enumerate(words):
        # a city or county jieba tags otherwise (龙岩 nr, 孝义 n), unless it is a common word
        if flag != "ns" and len(word) >= 2 and (word in g.counties or word in g.names) \
                and word_frequency(word) < COMMON_WORD_FREQUENCY:
            found.append(word)
        elif len(word) == 1 and n + 1 < len(words) and len(words[n + 1][0]) == 1 \
                and word + words[n + 1][0] in g.names:
            found.append(word + words[n + 1][0])
    return tuple(dict.fromkeys(found))


def covered(place: str, corpus_text: str) -> bool:
    """Whether the indexed texts mention ``place``, by any form or by its province."""
    return any(form in corpus_text for form in gazetteer().forms(place))
