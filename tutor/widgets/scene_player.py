"""ScenePlayer: runs one scene and plays its frames, with the learner's controls.

It owns the SceneView and Controls, the worker that computes frames, the
animation timer, and the learner's parameter changes (kept per scene `key`,
e.g. a lesson step, so coming back to a step shows what was set there). The
screen around it binds the keys and calls play / speed / restart /
next_control / adjust / edit / last_frame / step_frame; the player posts Finished when a run has all
its frames and Failed when a scene raised. Any screen can hold one: a
lesson, a quiz card, the capstone.
"""
from __future__ import annotations

import time
from collections.abc import Hashable
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.worker import get_current_worker

from tutor.frames import Frame
from tutor.malloc import return_large_frees
from tutor.params import ParamError
from tutor.scenes.stopping import stop_when

from .controls import SPEEDS, Controls, ControlState
from .frame_cache import FRAMES, FrameCache
from .laid_out_once import LaidOutOnce
from .scene_view import SceneView

POST_EVERY = 0.1    # seconds between frame batches from a streaming scene
FIRST_FRAME_PAUSE = 0.05   # seconds a streaming scene waits after its first frame, for the UI to draw it


class ScenePlayer(LaidOutOnce, Vertical):
    DEFAULT_CSS = """
    ScenePlayer { height: 1fr; }
    """
    ALLOW_MAXIMIZE = True

    class Finished(Message):
        """The run has produced all its frames."""

        def __init__(self, player: "ScenePlayer", frames: int) -> None:
            super().__init__()
            self.player, self.frames = player, frames

    class Failed(Message):
        """The scene raised; `error` is the one-line message shown in the view."""

        def __init__(self, player: "ScenePlayer", error: str) -> None:
            super().__init__()
            self.player, self.error = player, error

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.spec = None                      # the SceneSpec running, None when stopped
        self.base: dict[str, Any] = {}        # the values the lesson (or card) gives it
        self.key: Hashable = None             # whose overrides apply
        self.overrides: dict[Hashable, dict[str, Any]] = {}   # the learner's changes, per key
        self.frames: list[Frame] = []
        self.frame_index = 0
        self.complete = True                  # the scene has produced all its frames
        self.playing = False
        self.speed = 2
        self.selected = 0
        self.run_id = 0
        self.resume_at: int | None = None     # the frame to come back to once the new run has it
        self.timer: Timer | None = None
        self.warming: tuple | None = None     # FrameCache key of the warm-up running, if any
        self.adopted: tuple | None = None     # (key, run id): this run takes the warm-up's frames

    def compose(self) -> ComposeResult:
        yield SceneView(id="scene")
        yield Controls(id="controls")

    @property
    def view(self) -> SceneView:
        return self.query_one(SceneView)

    @property
    def animate(self) -> bool:
        return getattr(self.app, "animate", True)

    def scene_values(self) -> dict[str, Any]:
        assert self.spec is not None
        values = self.spec.resolve(self.base)
        values.update(self.overrides.get(self.key, {}))
        return values

    # -- running ------------------------------------------------------------------------
    def show(self, spec, values: dict[str, Any], key: Hashable = None) -> None:
        """Run `spec` with the given values (plus the learner's changes under `key`)."""
        self.spec, self.base, self.key, self.selected = spec, dict(values), key, 0
        self.view.scroll_home(animate=False, immediate=True)   # each scene opens at its top
        self.start()

    def start(self, keep_place: bool = False) -> None:
        """(Re)compute the scene in a worker; frames arrive in batches.

        keep_place (a control changed): the animation carries on from the frame it
        was at, and keeps playing or paused, rather than starting over.
        """
        self.run_id += 1
        self.resume_at = self.frame_index if keep_place and self.frames else None
        playing = self.playing
        self.frames, self.frame_index, self.complete = [], 0, False
        self.playing = playing if keep_place else self.animate
        self.query_one(SceneView).status = ""
        values = self.scene_values()
        key = FrameCache.key(self.spec, values)
        cached = FRAMES.get(key)
        self.adopted = None
        if cached is not None:
            self.workers.cancel_group(self, "scene")
            self.restart_timer()
            self.receive(self.run_id, cached, True)
            return
        if key == self.warming and self.warm_running():
            # The warm-up is computing these very frames (the learner moved on before it
            # ended): wait for them rather than compute them twice, side by side.
            self.workers.cancel_group(self, "scene")
            self.adopted = (key, self.run_id)
        else:
            self.compute(self.spec, values, self.run_id)
        self.restart_timer()
        self.update_controls()

    def stop(self) -> None:
        """Nothing to show (or the scene waits): the last run stops.

        A training scene would otherwise go on for seconds in its worker,
        taking the CPU from what is being read and posting frames to a hidden
        view; a new run id turns away any frame already on its way.
        """
        self.spec = None
        self.stop_timer()
        self.run_id += 1
        self.workers.cancel_group(self, "scene")

    @work(thread=True, exclusive=True, group="scene")
    def compute(self, spec, values: dict[str, Any], run_id: int) -> None:
        return_large_frees()  # before the engine's first big arrays
        worker = get_current_worker()
        frames: list[Frame] = []
        last = time.monotonic()
        try:
            with stop_when(lambda: worker.is_cancelled):
                for frame in spec.frames(values):
                    if worker.is_cancelled:
                        return
                    frames.append(frame)
                    first = len(frames) == 1 and not frame.final
                    if first or time.monotonic() - last > POST_EVERY:
                        self.app.call_from_thread(self.receive, run_id, list(frames), False)
                        last = time.monotonic()
                        if first:
                            # A streaming scene's first frame shows at once, and this thread stands
                            # aside while it is laid out and drawn: training holds the GIL.
                            time.sleep(FIRST_FRAME_PAUSE)
        except Exception as exc:  # a scene bug must not take the app down
            self.app.call_from_thread(self.fail, run_id, f"The scene stopped: {type(exc).__name__}: {exc}")
            return
        if worker.is_cancelled:
            return              # it stopped early (stopping): its frames are not all there
        if frames and frames[0].final:
            FRAMES.put(FrameCache.key(spec, values), frames)
        self.app.call_from_thread(self.receive, run_id, frames, True)

    def warm(self, spec, values: dict[str, Any]) -> None:
        """Get a scene ready before it is asked for (the next step's, after this one is
        shown): its modules imported and, unless it streams, its frames computed. A run
        asked for while its warm-up is still computing waits for that (warmed)."""
        full = spec.resolve(values)
        key = FrameCache.key(spec, full)
        if FRAMES.get(key) is None and key != self.warming:
            self.warming = key
            self.precompute(spec, full, key)

    @work(thread=True, exclusive=True, group="warm")
    def precompute(self, spec, values: dict[str, Any], key: tuple) -> None:
        worker = get_current_worker()
        frames: list[Frame] | None = []
        try:
            for frame in spec.frames(values):
                if worker.is_cancelled or not frame.final:
                    frames = None   # a streaming scene: imported now, run when its step is shown
                    break
                frames.append(frame)
        except Exception:
            frames = None           # the step itself will run it and show the error
        if frames is not None:
            FRAMES.put(key, frames)
        self.app.call_from_thread(self.warmed, spec, values, key, frames)

    def warm_running(self) -> bool:
        return any(w.group == "warm" and w.node is self and not w.is_finished for w in self.app.workers)

    def warmed(self, spec, values: dict[str, Any], key: tuple, frames: list[Frame] | None) -> None:
        """A warm-up ended (frames None: it did not compute them all). A run that waits for it
        takes its frames, or computes them itself after all."""
        if self.warming == key:
            self.warming = None
        if self.adopted is None or self.adopted[0] != key or not self.is_attached:
            return
        run_id, self.adopted = self.adopted[1], None
        if run_id != self.run_id:
            return
        if frames is None:
            self.compute(spec, values, run_id)
        else:
            self.receive(run_id, frames, True)

    def receive(self, run_id: int, frames: list[Frame], complete: bool) -> None:
        if run_id != self.run_id or not self.is_attached:
            return  # an older run, superseded by a control change
        self.frames, self.complete = frames, complete
        if not self.animate:
            self.frame_index = len(frames) - 1 if frames else 0
        elif self.resume_at is not None and frames:
            self.frame_index = min(self.resume_at, len(frames) - 1)
            if complete or len(frames) > self.resume_at:
                self.resume_at = None
        self.show_frame()
        if complete:
            self.post_message(self.Finished(self, len(frames)))

    def fail(self, run_id: int, message: str) -> None:
        if run_id == self.run_id and self.is_attached:
            self.complete = True
            self.query_one(SceneView).status = message
            self.update_controls()
            self.post_message(self.Failed(self, message))

    def show_frame(self) -> None:
        if self.frames:
            self.frame_index = min(self.frame_index, len(self.frames) - 1)
            self.query_one(SceneView).frame = self.frames[self.frame_index]
        self.update_controls()

    def update_controls(self) -> None:
        params = self.spec.params if self.spec else ()
        values = self.scene_values() if self.spec else {}
        self.query_one(Controls).state = ControlState(
            params, tuple(values[p.name] for p in params), self.selected, self.playing,
            self.speed, self.frame_index, len(self.frames), not self.complete)

    # -- the animation --------------------------------------------------------------------
    def tick(self) -> None:
        if not self.playing or not self.frames or not self.is_attached or self.resume_at is not None:
            return
        if self.frame_index + 1 < len(self.frames):
            self.frame_index += 1
            self.show_frame()
        elif self.complete:
            self.playing = False
            self.update_controls()

    def restart_timer(self) -> None:
        self.stop_timer()
        if self.animate:
            self.timer = self.set_interval(SPEEDS[self.speed], self.tick)

    def stop_timer(self) -> None:
        if self.timer is not None:
            self.timer.stop()
            self.timer = None

    def on_unmount(self) -> None:
        self.stop_timer()

    # -- what the screen's keys call ----------------------------------------------------------
    def play(self) -> None:
        if self.spec is None:
            return
        if not self.playing and self.complete and self.frame_index + 1 >= len(self.frames):
            self.frame_index = 0  # at the end: play again from the start
        self.playing = not self.playing
        self.show_frame()

    def change_speed(self, delta: int) -> None:
        self.speed = min(max(self.speed + delta, 0), len(SPEEDS) - 1)
        self.restart_timer()
        self.update_controls()

    def restart(self) -> None:
        if self.spec is not None:
            self.frame_index, self.playing = 0, self.animate
            self.show_frame()

    def last_frame(self) -> None:
        """Jump to the end of the animation (the last frame computed so far), paused."""
        if self.spec is not None and self.frames:
            self.frame_index, self.playing = len(self.frames) - 1, False
            self.show_frame()

    def step_frame(self, delta: int) -> None:
        """One frame back or forward; the animation pauses there."""
        if self.spec is not None and self.frames:
            self.playing = False
            self.frame_index = min(max(self.frame_index + delta, 0), len(self.frames) - 1)
            self.show_frame()

    def next_control(self) -> None:
        if self.spec is not None and self.spec.params:
            self.selected = (self.selected + 1) % len(self.spec.params)
            self.update_controls()

    def set_value(self, name: str, value: Any) -> None:
        self.overrides.setdefault(self.key, {})[name] = value
        self.start(keep_place=True)

    def adjust(self, direction: int) -> None:
        if self.spec is None or not self.spec.params:
            return
        param = self.spec.params[self.selected]
        if not param.adjustable:
            self.edit()
            return
        value = self.scene_values()[param.name]
        new = param.nudge(value, direction)
        if new != value:
            self.set_value(param.name, new)

    def edit(self) -> None:
        """Ask for the selected parameter's value as text (a prompt over the screen)."""
        if self.spec is None or not self.spec.params:
            return
        from tutor.screens.prompt import TextPrompt

        param = self.spec.params[self.selected]

        def check(text: str) -> str | None:
            try:
                param.parse(text)
            except ParamError as exc:
                return str(exc)
            return None

        def apply(text: str | None) -> None:
            if text is not None:
                self.set_value(param.name, param.parse(text))

        current = param.show(self.scene_values()[param.name])
        self.app.push_screen(TextPrompt(f"{param.label or param.name}:", current, check), apply)
