#!/usr/bin/env python
"""Fit the ranking weights on every gold set (leave-documents-out cross-validated) and write
index/data/rank_weights.json. Run from the repository root: .venv/bin/python scripts/fit_ranker.py"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from eval.fit import main, print_report  # noqa: E402

if __name__ == "__main__":
    print_report(main())
