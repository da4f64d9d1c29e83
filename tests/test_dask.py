"""The per-article map on dask.distributed: a two-worker LocalCluster builds the same bytes."""

from __future__ import annotations

import pytest
from conftest import SEEDS

pytest.importorskip("distributed")


def test_local_cluster_build_is_byte_identical(seed_build, tmp_path):
    import kg

    _, out, _ = seed_build
    result = kg.build([SEEDS], out=tmp_path, dask="local:2", cache=False)
    assert result.report["articles_read"] == 2
    for name in ("graph.ttl", "graph.json", "mentions.jsonl", "quotes.jsonl"):
        assert (tmp_path / name).read_bytes() == (out / name).read_bytes(), name


def test_dask_rejects_a_bad_worker_count(tmp_path):
    import kg
    from kg.distributed import DaskError

    with pytest.raises(DaskError, match="local:N"):
        kg.build([SEEDS], out=tmp_path, dask="local:zero", cache=False)


def test_unreachable_scheduler_is_one_clear_error(tmp_path):
    from kg.distributed import DaskError, _connect

    # 127.0.0.1:9 (discard) has no scheduler: the error says what to start instead.
    with (
        pytest.raises(DaskError, match="dask scheduler"),
        _connect("tcp://127.0.0.1:9", timeout="2s"),
    ):
        pass
