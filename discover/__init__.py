"""discover: symbolic discovery of optimization algorithms.

The public surface: programs (``Program``, ``parse``, ``to_text``), analysis
(``analysis.check``, ``analysis.dataflow_hash``), the reference interpreter
(``as_transform``), the hand-coded baselines (``BASELINES``), export to optax
(``to_optax``), simplification (``discover.simplify``) and the known-optimizer detector
(``discover.detect``).
"""

from discover.program import Program, ProgramError, to_text
from discover.parse import parse, read_program
from discover.interpreter import as_transform
from discover.baselines import BASELINES, baseline_program
from discover.export import to_optax

__all__ = ["Program", "ProgramError", "to_text", "parse", "read_program", "as_transform",
           "BASELINES", "baseline_program", "to_optax"]
