"""A character-level language model on text that ships with Python: its own standard library.

The corpus is the source of a fixed list of pure-Python standard-library modules, taken
from Python 3.11.7 as ASCII bytes (other characters became '?') and shipped with the
package as ``data/char_lm_corpus.txt`` (nothing is downloaded, and the running
interpreter's own standard library, which differs between Python versions, is not read;
``data/README.md`` has its source and licence). Its SHA-256 is in the task's description,
and its bytes are part of the task's identity (``proxy_tasks.identity``).
The last 10% is held out: 64 windows spread evenly over it are the validation data, and
64 windows midway between them, sharing no character with them, are the test data.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

import flax.linen as nn
import jax
import jax.numpy as jnp
import numpy as np
import optax

from proxy_tasks.base import Task, register
from proxy_tasks.digits import cross_entropy

CORPUS = Path(__file__).resolve().parent / "data" / "char_lm_corpus.txt"
VOCAB = 128


@functools.lru_cache(maxsize=None)
def corpus(path: Path = CORPUS) -> tuple[np.ndarray, str]:
  """(ASCII codes as uint8, the file's SHA-256): the file's bytes, read as they are."""
  raw = path.read_bytes()
  data = np.frombuffer(raw, np.uint8).copy()
  if (data >= VOCAB).any():
    raise ValueError(f"{path}: the corpus must be ASCII")
  return data, hashlib.sha256(raw).hexdigest()


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
                 batch_size: int, path: Path = CORPUS) -> Task:
  data, digest = corpus(path)
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
                           f"(sha256 {digest[:12]}), batch {batch_size}, {steps} steps"),
              test=test, data_digest=digest)


def held_out_starts(length: int, ctx: int, count: int = 64) -> tuple[jax.Array, jax.Array]:
  """Start offsets of the validation windows (``ctx + 1`` characters each, evenly spaced
  over the held-out text of ``length`` characters) and of the test windows midway between."""
  stride = (length - ctx - 1) // count
  val_starts = jnp.arange(0, length - ctx - 1, stride)[:count]
  return val_starts, val_starts + stride // 2


@register("char_lm")
def _char_lm():
  # Twice char_lm_small's width and context, 2.5 times its steps: larger than any task a
  # run selects on, yet cheap enough (about 20 s a run on one core) for validate's
  # 8 trials x 5 seeds per optimizer.
  return char_lm_task("char_lm", "target", CharTransformer(), 1000, 16)


@register("char_lm_small")
def _char_lm_small():
  # Cheap enough (about 4 s a run on one core) to meta-validate a search at intervals. That
  # makes it a selection task (the funnel tier), not a held-out target.
  return char_lm_task("char_lm_small", "funnel", CharTransformer(dim=32, context=32), 400, 32)
