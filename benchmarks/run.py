"""`make bench`: time the course's I/O and CPU experiments and write build/bench.json.

The work is in helpers.experiments.bench; this guard matters: process pools started with spawn or
forkserver import the main module, which must not run the benchmark again.
"""

from helpers.experiments.bench import main

if __name__ == "__main__":
    raise SystemExit(main())
