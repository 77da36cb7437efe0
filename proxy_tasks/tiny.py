"""Tiny language-model and vision-transformer proxies, in the spirit of the paper's proxies.

The paper searched on small language models and vision transformers. These are the
smallest such models that still learn something in a few hundred steps, each under a
second a run on one core: candidates for the proxy tier, chosen by ``bench proxies``
against the target tier, not by their looks.
"""

from __future__ import annotations

from proxy_tasks.base import register
from proxy_tasks.digits import ViT, classification_task
from proxy_tasks.text import CharTransformer, char_lm_task


@register("char_lm_tiny")
def _char_lm_tiny():
  return char_lm_task("char_lm_tiny", "proxy",
                      CharTransformer(dim=16, depth=1, heads=2, context=16), 300, 32)


@register("digits_vit_tiny")
def _digits_vit_tiny():
  return classification_task("digits_vit_tiny", "proxy", ViT(dim=16, depth=2, heads=2), 200,
                             32, "2-layer ViT (dim 16) on 2x2 digit patches, batch 32, 200 steps")
