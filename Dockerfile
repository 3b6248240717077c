# PolicyQA service image: CPU only, non-root, default index built at image build time.
FROM python:3.11-slim

# Two workers, one OpenMP thread each: workers that each start an OpenMP team as wide as the
# machine fight over its cores (2 x 2 threads on 2 cores: 62 ms per answer instead of 20).
ENV PIP_NO_CACHE_DIR=1 PYTHONUNBUFFERED=1 OMP_NUM_THREADS=1 \
    POLICYQA_INDEX_DIR=/data/index POLICYQA_HOST=0.0.0.0 POLICYQA_PORT=8000 POLICYQA_WORKERS=2

# libgomp1: LightGBM (the ranker) links OpenMP. Versions float with the base image's Debian release (pinning them breaks at each point release).
# hadolint ignore=DL3008
RUN apt-get update && apt-get install -y --no-install-recommends gcc libgomp1 \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 10001 policyqa
WORKDIR /app

COPY pyproject.toml README.md ./
COPY policyqa policyqa
COPY corpus corpus
COPY question question
COPY index index
COPY service service
COPY prompts prompts
# CPU torch from the PyTorch CPU index, then the project with the sentence-transformers extra.
# Editable, so that the default corpus (corpus/raw) and prompts/ resolve under /app.
RUN pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu \
    && pip install -e '.[st,milvus]'

RUN mkdir -p /data && chown policyqa /data
USER 10001
RUN policyqa build
VOLUME ["/data"]
EXPOSE 8000
# Exit 1 (an exception) unless /readyz answers 200.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
    CMD ["python", "-c", "import urllib.request as u; u.urlopen('http://127.0.0.1:8000/readyz', timeout=4)"]
# host, port and workers come from POLICYQA_HOST / POLICYQA_PORT / POLICYQA_WORKERS.
CMD ["policyqa", "serve"]
