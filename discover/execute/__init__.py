"""Running programs: the interpreter, the register machine, behaviour probes, training on tasks and fitness, reference scores."""
