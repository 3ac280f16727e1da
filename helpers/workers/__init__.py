"""Functions that run in a child process (a process pool's worker) or a subinterpreter.

Why they live here, in a module, and not in a notebook: a process pool sends each task to a
worker as a pickle, and pickle saves a function *by reference* -- its module and its name, not
its code. The worker imports that module to find the function again. Under the spawn and
forkserver start methods (the default on macOS and Windows, and on Linux from Python 3.14) a
worker is a fresh interpreter: a function defined in a notebook lives in the kernel's
``__main__``, which the worker does not have, and the task fails with
``Can't get attribute 'f' on <module '__main__'>``. A module on the import path works everywhere.
Your own worker functions go in a ``.py`` file of your own next to the notebook, the same way.

The rules for this package (``tests/test_package_layout.py`` checks them):

- standard library only (plus :mod:`helpers._validate`): a worker process, or another
  interpreter studied in notebook 13, imports it quickly and needs nothing installed;
- top-level functions with picklable arguments and results;
- module state only where a pool initializer sets it (:mod:`helpers.workers.per_process`).

Call them so that the call site shows where they live::

    from helpers.workers import cpu
    pool.submit(cpu.trivial_factoring, n)
"""
