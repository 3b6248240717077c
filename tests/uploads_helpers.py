"""A small index of its own for the upload tests (they change it), and hand-written documents
in each format (DOCX written with python-docx)."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The two smallest seed documents: the e5 build of a bigger corpus is slow on two cores.
SMALL_SEEDS = ("002_d9f1236460861f5a.txt", "003_3836013103f3f9d1.txt")
INGEST_TOKEN = "ingest-tok-123"
ADMIN_TOKEN = "admin-tok-456"

DRONE_TXT = """关于支持低空经济无人机产业发展的若干措施
临政发〔2025〕7号
各区县人民政府，市政府各部门：
一、支持整机制造
对新落户的无人机整机制造企业，按设备投资额的10%给予补助，最高不超过800万元。
二、支持试飞场地建设
对建设无人机试飞测试场的企业，给予一次性奖励200万元。
三、本措施自2025年3月1日起施行，有效期3年。
临州市人民政府
2025年2月10日
"""

GREENHOUSE_MD = """# 关于推进智慧温室大棚建设的通知

## 一、建设目标

到2026年，全县建成智慧温室大棚120座，水肥一体化覆盖率达到85%。

## 二、补助标准

对新建智慧温室大棚的农业合作社，每亩补助3万元。
"""

LIBRARY_HTML = """<!doctype html><html><head><meta charset="utf-8">
<meta name="ArticleTitle" content="关于开展社区书屋夜间开放试点的通知">
<title>首页 - 某市文化和旅游局</title></head>
<body><nav>首页 | 政务公开 | 用户登录</nav>
<div class="article"><h1>关于开展社区书屋夜间开放试点的通知</h1>
<p>一、试点范围。全市选取40个社区书屋开展夜间开放试点，开放时间延长至每晚21时。</p>
<p>二、经费保障。每个试点书屋每年安排运营经费5万元。</p></div>
<footer>版权所有 某市文化和旅游局</footer></body></html>
"""

DOCX_LINES = ("关于实施中小学课后托管服务质量提升行动的通知",
              "一、服务时间。课后托管服务每天延长至18时30分，寒暑假提供托管班。",
              "二、收费标准。托管服务费每生每月不超过260元，困难家庭学生免收。")


def docx_bytes(lines: tuple[str, ...] = DOCX_LINES) -> bytes:
    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def small_index(base: Path) -> tuple[Path, Path]:
    """(corpus dir, index dir): two seed documents copied and built once."""
    from index.build import build_index
    from index.embed import load_embedder

    corpus = base / "corpus"
    corpus.mkdir()
    for name in SMALL_SEEDS:
        shutil.copy(ROOT / "corpus" / "raw" / name, corpus / name)
    index = base / "index"
    build_index([corpus], index, load_embedder("e5-small"), "e5-small")
    return corpus, index


def settings_for(corpus: Path, index: Path, **extra):  # type: ignore[no-untyped-def]
    from service.settings import Settings

    return Settings(index_dir=index, corpus_dirs=[corpus], ingest_token=INGEST_TOKEN,
                    admin_token=ADMIN_TOKEN, **extra)
