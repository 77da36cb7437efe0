"""discover: symbolic discovery of optimization algorithms.

The public surface: programs (``Program``, ``parse``, ``to_text``), analysis
(``analysis.check``, ``analysis.dataflow_hash``), the reference interpreter
(``as_transform``) and the hand-coded baselines (``BASELINES``).
"""

from discover.program import Program, ProgramError, to_text
from discover.parse import parse, read_program
from discover.interpreter import as_transform
from discover.baselines import BASELINES, baseline_program

__all__ = ["Program", "ProgramError", "to_text", "parse", "read_program", "as_transform",
           "BASELINES", "baseline_program"]
