"""Read uncached documents in a process pool when there are several and CPUs are idle.

``map_documents(work, read_one, ...)`` returns the results in the order of ``work``; a
BuilderError raised in a worker comes back (all of them, in corpus order) as in a serial run.
Only the incremental layer calls this (``incremental.read_documents``).
"""

from __future__ import annotations

import os
import pickle
import threading
from concurrent.futures import ProcessPoolExecutor
from typing import Callable

from ..errors import BuilderError, ConfigError

PARALLEL_MIN = 2  # fewer uncached documents than this are read in-process


def workers(count: int, jobs: int | None) -> int:
    """Processes for `count` uncached documents. Asked for (Options.jobs, BUILDER_JOBS): that many.
    Otherwise the CPUs that are idle: on a machine already busy, extra processes only contend
    (measured on 2 shared cores: no gain at load 4), and pickling results back costs time."""
    if count < PARALLEL_MIN or threading.active_count() > 1:  # forking a threaded process (serve) is unsafe
        return 1
    if jobs is None:
        jobs = int(os.environ.get("BUILDER_JOBS", "0")) or _idle_cpus()
    return max(1, min(jobs, count))


def _idle_cpus() -> int:
    cpus = len(os.sched_getaffinity(0))
    try:
        others = max(0.0, os.getloadavg()[0] - 1)  # the load besides this process
    except OSError:
        others = 0.0
    return max(1, int(cpus - others + 0.5))


def map_documents(work: list, read_one: Callable, count: int, meanwhile: Callable[[], None] | None = None) -> list:
    """``read_one(item)`` for every item, in ``count`` processes (forked: the items need not be
    picklable twice). ``meanwhile`` runs in this process while the workers read. Returns the
    results (unpickled), raising the workers' BuilderErrors as one."""
    import multiprocessing

    context = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
    chunk = max(1, len(work) // (count * 8))
    with ProcessPoolExecutor(max_workers=count, mp_context=context) as pool:
        pending = pool.map(_run_one, [(read_one, item) for item in work], chunksize=chunk)
        if meanwhile is not None:
            meanwhile()
        results = list(pending)
    raise_all([_rebuild_error(*result) for result in results if isinstance(result, tuple)])  # corpus order
    return [pickle.loads(blob) for blob in results]


def _run_one(job) -> bytes | tuple:
    """In a worker: one result, pickled once. A BuilderError comes back as (class, args,
    attributes): not all of them survive pickling."""
    read_one, item = job
    try:
        return pickle.dumps(read_one(item), protocol=pickle.HIGHEST_PROTOCOL)
    except BuilderError as exc:
        return type(exc), exc.args, dict(vars(exc))


def _rebuild_error(cls: type, args: tuple, attributes: dict) -> BuilderError:
    exc = cls.__new__(cls)
    exc.args = args
    vars(exc).update(attributes)
    return exc


def raise_all(errors: list[BuilderError]) -> None:
    """The one error, as it was raised; several: one ConfigError listing each, in corpus order."""
    if len(errors) == 1:
        raise errors[0]
    if errors:
        problems = [p for exc in errors for p in (exc.problems if isinstance(exc, ConfigError) else [str(exc)])]
        raise ConfigError(problems)
