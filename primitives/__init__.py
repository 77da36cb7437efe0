"""The DSL of update primitives: one registry of ops (see ``primitives.registry``)."""

from primitives.ops import DIV_EPS, EPS, LOG_FLOOR, REGISTRY
from primitives.registry import Kind, Op, Registry, Template

__all__ = ["DIV_EPS", "EPS", "LOG_FLOOR", "REGISTRY", "Kind", "Op", "Registry", "Template"]
