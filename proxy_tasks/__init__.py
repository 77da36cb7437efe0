"""Proxy tasks: the JAX/flax training problems candidates are scored on.

Importing the package registers every task; ``get_task(name)`` builds one on first use.
"""

from proxy_tasks import digits, shapes, synthetic, text, tiny  # noqa: F401  (registers the tasks)
from proxy_tasks.base import TIERS, Task, get_task, task_names
from proxy_tasks.train import TrainResult, make_trainer, train

__all__ = ["TIERS", "Task", "TrainResult", "get_task", "make_trainer", "task_names", "train"]
