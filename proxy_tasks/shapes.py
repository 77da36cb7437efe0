"""A held-out vision task on generated images: ten kinds of shape, drawn with noise.

Each 16x16 image holds one shape (a disk, a ring, a square, a square outline, a plus, an
X, a horizontal or vertical bar, a triangle, a diamond: the class) at a random centre,
size and brightness, over Gaussian pixel noise, and a faint second shape of another class
as clutter. The images are generated from ``DATA_SEED`` by numpy's seeded generator with
comparisons and arithmetic only (no transcendental function, whose last bit may differ
between CPUs), so every machine draws the same bytes, and nothing is downloaded.

Training, validation and test images are drawn apart (4000, 1000 and 1000). The task is in
the target tier, held out from search and selection: ``discover validate`` chooses on
validation and reports on test. No other task reads these images. The model is a small
convolutional net, a kind no search or selection task trains.
"""

from __future__ import annotations

import functools

import flax.linen as nn
import jax
import jax.numpy as jnp
import numpy as np
import optax

from proxy_tasks.base import Task, register
from proxy_tasks.digits import cross_entropy

DATA_SEED = 20230213
SIZE = 16
CLASSES = 10
SPLITS = {"train": 4000, "validation": 1000, "test": 1000}
NOISE = 0.2  # pixel noise (standard deviation) against shapes of brightness 0.5-1
CLUTTER = 0.25  # brightness of the second shape, as a share of the first's


def _mask(kind: np.ndarray, dx: np.ndarray, dy: np.ndarray, s: np.ndarray) -> np.ndarray:
  """Pixels inside shape ``kind`` at offsets (dx, dy) from its centre, of size ``s``
  (arrays broadcast over images, rows and columns)."""
  ax, ay = np.abs(dx), np.abs(dy)
  d2, box = dx * dx + dy * dy, np.maximum(ax, ay)
  shapes = [
      d2 <= s * s,  # disk
      (d2 <= s * s) & (d2 >= 0.4 * s * s),  # ring
      box <= 0.8 * s,  # square
      (box <= 0.8 * s) & (box >= 0.45 * s),  # square outline
      ((ax <= 0.8) & (ay <= s)) | ((ay <= 0.8) & (ax <= s)),  # plus
      (np.abs(ax - ay) <= 0.9) & (box <= s),  # X
      (ay <= 1.0) & (ax <= s),  # horizontal bar
      (ax <= 1.0) & (ay <= s),  # vertical bar
      (dy <= 0.6 * s) & (ax <= 0.6 * (dy + 0.9 * s)),  # triangle, pointing up
      ax + ay <= s,  # diamond
  ]
  return np.select([kind == k for k in range(CLASSES)], shapes, False)


def draw(count: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
  """``count`` images (count, 16, 16) float32 and their labels (int32)."""
  labels = rng.integers(0, CLASSES, count)
  clutter = (labels + rng.integers(1, CLASSES, count)) % CLASSES  # never the label
  grid = np.arange(SIZE) + 0.5
  images = np.zeros((count, SIZE, SIZE))
  for kind, brightness in ((labels, rng.uniform(0.5, 1.0, count)),
                           (clutter, CLUTTER * rng.uniform(0.5, 1.0, count))):
    cx, cy = (rng.uniform(4.5, SIZE - 4.5, count)[:, None, None] for _ in range(2))
    size = rng.uniform(2.5, 4.5, count)[:, None, None]
    inside = _mask(kind[:, None, None], grid[None, None, :] - cx, grid[None, :, None] - cy,
                   size)
    images = np.maximum(images, inside * brightness[:, None, None])
  images += NOISE * rng.standard_normal(images.shape)
  return images.astype(np.float32), labels.astype(np.int32)


@functools.lru_cache(maxsize=None)
def shapes_split() -> dict[str, tuple[np.ndarray, np.ndarray]]:
  """{split: (images, labels)}, each split from its own stream of ``DATA_SEED``."""
  return {name: draw(count, np.random.default_rng([DATA_SEED, i]))
          for i, (name, count) in enumerate(SPLITS.items())}


class ConvNet(nn.Module):
  """Convolutions with 2x2 kernels and stride 2 (16x16 -> 8x8 -> 4x4 -> 2x2, ``channels``
  wide), then a dense layer. Non-overlapping kernels are a reshape and a matrix product,
  several times cheaper on a CPU than a 3x3 convolution."""

  channels: tuple[int, ...] = (32, 64, 64)
  classes: int = CLASSES

  @nn.compact
  def __call__(self, x):
    x = x[..., None]
    for width in self.channels:
      n, h, w, c = x.shape
      x = x.reshape(n, h // 2, 2, w // 2, 2, c).transpose(0, 1, 3, 2, 4, 5)
      x = nn.relu(nn.Dense(width)(x.reshape(n, h // 2, w // 2, 4 * c)))
    return nn.Dense(self.classes)(x.reshape(x.shape[0], -1))


def shapes_task(name: str, tier: str, model: nn.Module, steps: int, batch_size: int) -> Task:
  """A shapes classification task scored by validation loss, tested on the test split."""
  data = {k: tuple(jnp.asarray(a) for a in v) for k, v in shapes_split().items()}
  x_train, y_train = data["train"]

  def init(key):
    return model.init(key, x_train[:1])["params"]

  def loss(params, batch):
    x, y = batch
    return cross_entropy(model.apply({"params": params}, x), y)

  def stream(key):
    return jax.random.randint(key, (steps, batch_size), 0, len(x_train))

  def batch(indices, step):
    idx = indices[step]
    return x_train[idx], y_train[idx]

  def scored(split):
    def metrics(params):
      x, y = data[split]
      logits = model.apply({"params": params}, x)
      return {"loss": cross_entropy(logits, y),
              "accuracy": jnp.mean(jnp.argmax(logits, -1) == y)}
    return metrics

  counts = ", ".join(f"{n} {k}" for k, n in SPLITS.items())
  return Task(name, tier, steps, init, loss, stream, batch, scored("validation"),
              metric="loss", higher_is_better=False,
              schedule=optax.cosine_decay_schedule(1.0, steps), diverged_above=1e3,
              description=(f"conv net {model.channels} on generated 16x16 shapes "
                           f"({counts}; seed {DATA_SEED}), batch {batch_size}, {steps} steps"),
              test=scored("test"))


@register("shapes_cnn")
def _shapes_cnn():
  return shapes_task("shapes_cnn", "target", ConvNet(), 1500, 64)
