"""``render-all`` on Dask: prepared report jobs rendered by the workers of a Dask cluster.

Each Dask worker process keeps one warm :class:`analysis.render.kernel.Kernel` (started on its
first report, closed when the batch ends) and renders the jobs it is given with
:func:`analysis.render.pipeline.render`, exactly as the local batch
(:func:`analysis.render.batch.run_jobs`) does in its worker processes; so outputs, cache and
atomic publishing are the renderer's own. Reports whose cache key is unchanged are skipped
before anything is sent. Workers must see the template, data and report folders at the same
paths (shared storage) and run one thread each (``--nthreads 1``): a kernel renders one report
at a time.
"""

from __future__ import annotations

import time

_KERNEL = None


def _kernel(warm: bool):
    """This worker process's kernel (started on first use)."""
    global _KERNEL
    if _KERNEL is None:
        from analysis.render.kernel import Kernel

        _KERNEL = Kernel(warm=warm)
        _KERNEL.start()
    return _KERNEL


def _close_kernel() -> bool:
    """Close this worker's kernel, if any (run on every worker at the end of a batch)."""
    global _KERNEL
    if _KERNEL is not None:
        try:
            _KERNEL.close()
        finally:
            _KERNEL = None
        return True
    return False


def render_one(job, warm: bool = True):
    """Render one prepared job on this worker (a :class:`~analysis.render.pipeline.Result`)."""
    from analysis.render import pipeline
    from analysis.render.pipeline import Result

    try:
        return pipeline.render(job, _kernel(warm), force=True)
    except Exception as exc:  # pragma: no cover - render() records its own failures
        return Result(job.label, "gagal", error=f"{type(exc).__name__}: {exc}")


def run_jobs_dask(jobs: list, *, scheduler: str | None = None, workers: int = 2, client=None,
                  warm: bool = True, force: bool = False,
                  progress=None) -> list:
    """Render ``jobs`` on Dask; one :class:`~analysis.render.pipeline.Result` per job, in order.

    Parameters
    ----------
    jobs : list of analysis.render.pipeline.Job
        Prepared reports (:func:`analysis.render.pipeline.prepare`).
    scheduler : str, optional
        Dask scheduler address (``tcp://host:8786``). Without it (and without ``client``) a
        ``LocalCluster`` of ``workers`` single-threaded processes is started here.
    workers : int
    client : distributed.Client, optional
        An existing client (left open).
    warm : bool
        Keep one warm kernel per worker between reports.
    force : bool
        Render even when the cache says the outputs are fresh.
    progress : callable, optional
        Called with each result as it arrives.
    """
    from dask.distributed import as_completed as dask_completed

    from analysis.national.runner import dask_client
    from analysis.render import atomic, pipeline
    from analysis.render.pipeline import Result

    results, todo = pipeline.split_fresh(jobs, force)
    if todo:
        with dask_client(scheduler=scheduler, workers=workers, client=client) as active:
            stamp = time.time_ns()
            futures = {active.submit(render_one, jobs[i], warm, pure=False,
                                     key=f"laporan-{stamp}-{i}"): i for i in todo}
            for fut in dask_completed(list(futures)):
                i = futures[fut]
                try:
                    results[i] = fut.result()
                except Exception as exc:
                    results[i] = Result(jobs[i].label, "gagal", error=f"{type(exc).__name__}: {exc}")
                if progress:
                    progress(results[i])
            active.run(_close_kernel)
        atomic.tidy([jobs[i].out_dir for i in todo])
    return [results[i] for i in range(len(jobs))]
