"""The sweep machinery on Dask, checked on the Ishigami function (analytic Sobol indices)
through the same code path as a chain sweep: design → batches → LocalCluster with worker
processes → part files → runs.csv → SALib indices. The same design gives byte-identical
tables with 1 and 2 workers and serially."""

import pytest

from qyedu.sweep import design_from_dict, run_sweep
from qyedu.sweep.testfunctions import ISHIGAMI_S1, ISHIGAMI_ST

PI = 3.141592653589793
DESIGN = {"name": "ishigami", "method": "sobol", "task": "qyedu.sweep.testfunctions:Ishigami",
          "samples": 1024, "batch_size": 640, "seed": 2, "outputs": ["y"],
          "parameters": {k: {"range": [-PI, PI]} for k in ("x1", "x2", "x3")}}


@pytest.fixture(scope="module")
def sweeps(tmp_path_factory):
    """The design on a fresh 2-process LocalCluster (workers=2), on an existing 1-process
    cluster reached by its address (as --scheduler), and serially (workers=0)."""
    from dask.distributed import LocalCluster

    d = design_from_dict(DESIGN)
    quiet = {"progress": False, "figures": False, "log": lambda *_: None}
    out = {}
    folder = tmp_path_factory.mktemp("w2")
    out[2] = (folder, run_sweep(d, out=folder, workers=2, **quiet))
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                      dashboard_address=":0") as cluster:  # a free port, never 8787
        folder = tmp_path_factory.mktemp("w1")
        out[1] = (folder, run_sweep(d, out=folder, scheduler=cluster.scheduler_address, **quiet))
    folder = tmp_path_factory.mktemp("w0")
    out[0] = (folder, run_sweep(d, out=folder, workers=0, **quiet))
    return out


def test_ishigami_indices_on_a_two_process_local_cluster(sweeps):
    ix = sweeps[2][1].indices.set_index("parameter")
    for j, p in enumerate(("x1", "x2", "x3")):
        assert ix.loc[p, "S1"] == pytest.approx(ISHIGAMI_S1[j], abs=0.03)
        assert ix.loc[p, "ST"] == pytest.approx(ISHIGAMI_ST[j], abs=0.03)
        assert 0 < ix.loc[p, "S1_conf"] < 0.1 and 0 < ix.loc[p, "ST_conf"] < 0.1
    assert list(ix.columns[:5]) == ["output", "method", "S1", "S1_conf", "ST"]


def test_same_tables_with_one_two_and_no_workers(sweeps):
    for name in ("runs.csv", "indices.csv"):
        ref = (sweeps[2][0] / name).read_bytes()
        assert (sweeps[1][0] / name).read_bytes() == ref
        assert (sweeps[0][0] / name).read_bytes() == ref
    assert sweeps[2][1].runs["run"].nunique() == 1024 * 5


def test_chain_sweep_on_two_workers_gives_the_serial_tables_byte_for_byte(tmp_path):
    """The model chain (not only a test function): each worker returns its runs' numbers,
    the driver builds every table once, so 2 worker processes write the serial bytes."""
    from qyedu.sweep.run import TABLES

    d = design_from_dict({
        "name": "chain2", "method": "grid", "batch_size": 2, "seed": 5,
        "fixed": {"forecast.draws": 30},
        "outputs": ["compulsory_surplus_2025_p50", "junior_peak_p50", "teacher_hires_total",
                    "total_cost"],
        "parameters": {"projection.births_anchor_doubt": {"values": [0.0, 0.8]},
                       "teachers.attrition_rate": {"values": [0.02, 0.05]}}})
    from dask.distributed import Client

    from qyedu.sweep.execute import local_cluster
    from qyedu.sweep.task import worker_stats

    quiet = {"progress": False, "figures": False, "log": lambda *_: None}
    with local_cluster(2) as cluster, Client(cluster) as client:  # the cluster of workers=2
        two = run_sweep(d, out=tmp_path / "w2", scheduler=cluster.scheduler_address, **quiet)
        facts = list(client.run(worker_stats).values())
        profiling = set(client.run(_profiler_on).values())
    run_sweep(d, out=tmp_path / "w0", workers=0, **quiet)
    # both workers ran batches; model work only, in one thread, BLAS at one thread, and
    # without Dask's glibc trim threshold (page faults: docs/SWEEP.md)
    assert [f["batches"] > 0 for f in facts] == [True, True]
    assert all(f["MALLOC_TRIM_THRESHOLD_"] is None and f["OMP_NUM_THREADS"] == "1"
               and f["OPENBLAS_NUM_THREADS"] == "1" for f in facts)
    assert profiling == {False}
    assert two.runs["run"].nunique() == 4 and two.runs["value"].notna().all()
    for name in TABLES:
        assert (tmp_path / "w2" / name).read_bytes() == (tmp_path / "w0" / name).read_bytes(), name


def _profiler_on() -> bool:
    import dask

    return dask.config.get("distributed.worker.profile.enabled")


def test_a_sweep_cluster_takes_a_free_port_when_8787_is_taken():
    """Dask's HTTP server defaults to port 8787 even without a dashboard; a second cluster on
    the machine (another sweep, a parallel test) then warned. Ours asks for a free port."""
    import socket
    import warnings

    from qyedu.sweep.execute import local_cluster

    held = socket.socket()
    try:
        held.bind(("", 8787))  # taken here, or already taken by someone else: either way
        held.listen(1)
    except OSError:
        pass
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # "Port 8787 is already in use" would raise
            with local_cluster(1) as cluster:
                assert cluster.scheduler.http_server.port not in (8787, 0)
    finally:
        held.close()
