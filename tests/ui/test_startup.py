"""The cycle collector is paused while `tutor` starts and is back on once the map is painted.

tutor/startup.py: a process that pauses collection and never turns it back
on would grow without bound over a long session, so every way out is
covered: the first paint, a command that returns before the app runs, an
app that ends without painting.
"""
from __future__ import annotations

import gc

import pytest

from tutor import startup
from tutor.cli import main

from ..reliability.driving import shipped_app


@pytest.fixture
def paused():
    assert gc.isenabled()
    startup.pause()
    yield
    startup.end()
    gc.unfreeze()   # give this test process its collector back as it was
    assert gc.isenabled()


async def test_collection_resumes_after_the_first_paint_with_start_up_frozen(tmp_path, paused):
    frozen = gc.get_freeze_count()
    app = shipped_app(tmp_path, animate=False)
    async with app.run_test(size=(80, 24)) as pilot:
        assert not gc.isenabled()          # the map is being built
        await pilot.pause(0.6)             # painted, then the 0.2 s timer
        assert gc.isenabled()
        assert gc.get_freeze_count() > frozen + 10_000   # modules, the course, the screens
    app.store.close()


def test_an_app_that_ends_before_painting_turns_collection_back_on_freezing_nothing(paused):
    frozen = gc.get_freeze_count()
    startup.end()
    assert gc.isenabled() and gc.get_freeze_count() == frozen
    startup.resume()                       # after end(): nothing left to undo
    assert gc.get_freeze_count() == frozen


@pytest.mark.parametrize("argv", [["no-such-lesson"], ["2"]])
def test_the_command_leaves_collection_on_whichever_way_it_returns(monkeypatch, tmp_path, argv):
    from tutor.app import TutorApp

    monkeypatch.setenv("TUTOR_HOME", str(tmp_path))
    monkeypatch.setattr(TutorApp, "run", lambda self, *a, **k: None)   # the app never paints
    main(argv)
    assert gc.isenabled()


def test_full_collections_wait_for_a_settled_step_once_resumed(paused):
    default = gc.get_threshold()
    assert not startup.collect_if_due()     # paused: nothing is scheduled yet
    startup.resume()
    assert gc.get_threshold()[2] == startup.FULL_AFTER   # Python no longer starts them mid-switch
    for _ in range(startup.DUE_AFTER):
        gc.collect(1)                       # each counts towards a full collection
    assert startup.collect_if_due()         # due: done now, at the quiet moment
    assert gc.get_count()[2] == 0 and not startup.collect_if_due()
    startup.end()
    assert gc.get_threshold() == default and not startup.collect_if_due()
