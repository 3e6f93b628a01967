"""The collector pause around batch jobs: off inside, restored afterwards, also when the job fails."""

from __future__ import annotations

import gc

import pytest

from specc.gcpause import paused_gc


def test_paused_gc_disables_collector_inside_and_restores_it_after() -> None:
    # Arrange
    assert gc.isenabled()
    # Act
    with paused_gc():
        inside = gc.isenabled()
    # Assert
    assert (inside, gc.isenabled()) == (False, True)


def test_paused_gc_restores_collector_when_the_job_raises() -> None:
    # Arrange
    @paused_gc()
    def failing_job() -> None:
        raise RuntimeError("boom")

    # Act
    with pytest.raises(RuntimeError, match="boom"):
        failing_job()
    # Assert
    assert gc.isenabled()


def test_paused_gc_leaves_a_disabled_collector_disabled() -> None:
    # Arrange
    gc.disable()
    try:
        # Act
        with paused_gc():
            pass
        # Assert
        assert not gc.isenabled()
    finally:
        gc.enable()
