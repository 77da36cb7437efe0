"""discover: symbolic discovery of optimization algorithms.

The public surface: programs (``Program``, ``parse``, ``to_text``), analysis
(``analysis.check``, ``analysis.dataflow_hash``), the reference interpreter
(``as_transform``), the hand-coded baselines (``BASELINES``), export to optax
(``to_optax``), simplification (``discover.simplify.steps``) and the known-optimizer detector
(``discover.simplify.detect``).
"""

from discover.dsl.program import Program, ProgramError, to_text
from discover.dsl.parse import parse, read_program
from discover.execute.interpreter import as_transform
from discover.dsl.baselines import BASELINES, baseline_program
from discover.export.transform import to_optax

__all__ = ["Program", "ProgramError", "to_text", "parse", "read_program", "as_transform",
           "BASELINES", "baseline_program", "to_optax"]
