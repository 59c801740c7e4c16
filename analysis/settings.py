"""The analysis package's settings: the only module under ``analysis/`` that reads the
environment (``analysis/`` runs on its own as ``python -m analysis`` and may not import
``feedback.config``, which is the application's one reader).

- ``ANALYSIS_CACHE_DIR``: where distilled vector tables live (default: the user's cache).
- ``ANALYSIS_DATA_DIR``: the shared training data (default: ``../shared/data`` beside the
  repository).
- ``HF_HUB_OFFLINE``: set to ``1`` unless already set, so tokenizers and sentence models
  never reach the network.
"""
from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    """The folder that holds distilled tables (``ANALYSIS_CACHE_DIR`` or the user's cache)."""
    folder = os.environ.get("ANALYSIS_CACHE_DIR")
    return Path(folder) if folder else Path.home() / ".cache" / "yourvoice-analysis"


def data_dir() -> str:
    """The shared data folder (``ANALYSIS_DATA_DIR`` or ``../shared/data`` beside the repository)."""
    return os.environ.get("ANALYSIS_DATA_DIR") or str(Path(__file__).resolve().parents[2] / "shared" / "data")


def work_offline() -> None:
    """Keep the model hub offline for this process unless the environment says otherwise."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
