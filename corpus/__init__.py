"""Corpus stage: raw files → Document → clean text → Clause[]. Imports nothing of ours."""
