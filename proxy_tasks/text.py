"""A character-level language model on text that ships with Python: its own standard library.

The corpus is the source of a fixed list of pure-Python standard-library modules, read
from the running interpreter's installation (nothing is downloaded), as ASCII bytes
(other characters become '?'). Files can differ between Python versions, so the corpus's
SHA-256 is part of the task's description and of any reference score's fingerprint.
The last 10% is held out: 64 windows spread evenly over it are the validation data, and
64 windows midway between them, sharing no character with them, are the test data.
"""

from __future__ import annotations

import functools
import hashlib
import sysconfig
from pathlib import Path

import flax.linen as nn
import jax
import jax.numpy as jnp
import numpy as np
import optax

from proxy_tasks.base import Task, register
from proxy_tasks.digits import cross_entropy

MODULES = ("textwrap", "string", "heapq", "bisect", "colorsys", "fractions", "shlex",
           "difflib", "calendar", "statistics", "pprint", "numbers")
VOCAB = 128


@functools.lru_cache(maxsize=None)
def corpus() -> tuple[np.ndarray, str]:
  """(ASCII codes as uint8, SHA-256 of the corpus)."""
  stdlib = Path(sysconfig.get_paths()["stdlib"])
  text = "\n".join((stdlib / f"{name}.py").read_text(encoding="utf-8") for name in MODULES)
  data = np.frombuffer(text.encode("ascii", errors="replace"), np.uint8).copy()
  data[data >= VOCAB] = ord("?")
  return data, hashlib.sha256(data.tobytes()).hexdigest()[:12]


class CharTransformer(nn.Module):
  """A small pre-norm causal transformer."""

  dim: int = 64
  depth: int = 2
  heads: int = 4
  context: int = 64

  @nn.compact
  def __call__(self, tokens):
    x = nn.Embed(VOCAB, self.dim)(tokens)
    x = x + self.param("position", nn.initializers.normal(0.02), (self.context, self.dim))
    mask = nn.make_causal_mask(tokens)
    for _ in range(self.depth):
      x = x + nn.MultiHeadDotProductAttention(num_heads=self.heads)(nn.LayerNorm()(x),
                                                                      mask=mask)
      x = x + nn.Dense(self.dim)(nn.gelu(nn.Dense(4 * self.dim)(nn.LayerNorm()(x))))
    return nn.Dense(VOCAB)(nn.LayerNorm()(x))


def char_lm_task(name: str, tier: str, model: CharTransformer, steps: int,
                 batch_size: int) -> Task:
  data, digest = corpus()
  split = int(0.9 * len(data))
  train_data, val_data = jnp.asarray(data[:split]), jnp.asarray(data[split:])
  ctx = model.context
  val_starts, test_starts = held_out_starts(len(val_data), ctx)

  def windows(source, starts):
    idx = starts[:, None] + jnp.arange(ctx + 1)[None, :]
    chunk = source[idx].astype(jnp.int32)
    return chunk[:, :-1], chunk[:, 1:]

  def init(key):
    return model.init(key, jnp.zeros((1, ctx), jnp.int32))["params"]

  def mean_loss(params, inputs, targets):
    return cross_entropy(model.apply({"params": params}, inputs), targets)

  def stream(key):
    return jax.random.randint(key, (steps, batch_size), 0, len(train_data) - ctx - 1)

  def batch(starts, step):
    return windows(train_data, starts[step])

  def evaluate(params):
    return {"loss": mean_loss(params, *windows(val_data, val_starts))}

  def test(params):
    return {"loss": mean_loss(params, *windows(val_data, test_starts))}

  return Task(name, tier, steps, init, lambda p, b: mean_loss(p, *b), stream, batch,
              evaluate, metric="loss", higher_is_better=False,
              schedule=optax.cosine_decay_schedule(1.0, steps), diverged_above=1e3,
              description=(f"char transformer (dim {model.dim}, depth {model.depth}, "
                           f"context {ctx}) on {len(data)} chars of stdlib source "
                           f"(sha256 {digest}), batch {batch_size}, {steps} steps"),
              test=test)


def held_out_starts(length: int, ctx: int, count: int = 64) -> tuple[jax.Array, jax.Array]:
  """Start offsets of the validation windows (``ctx + 1`` characters each, evenly spaced
  over the held-out text of ``length`` characters) and of the test windows midway between."""
  stride = (length - ctx - 1) // count
  val_starts = jnp.arange(0, length - ctx - 1, stride)[:count]
  return val_starts, val_starts + stride // 2


@register("char_lm")
def _char_lm():
  return char_lm_task("char_lm", "target", CharTransformer(), 1500, 32)


@register("char_lm_small")
def _char_lm_small():
  # Cheap enough (about 4 s a run on one core) to meta-validate a search at intervals.
  return char_lm_task("char_lm_small", "target", CharTransformer(dim=32, context=32), 400, 32)
