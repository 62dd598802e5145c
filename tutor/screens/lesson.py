"""Lesson: one step at a time, its text beside (or above) its live scene."""
from __future__ import annotations

import time
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer
from rich.markdown import Markdown as RichMarkdown
from textual.widgets import Static
from textual.worker import get_current_worker

from tutor.course import Lesson, Step
from tutor.malloc import return_large_frees
from tutor.frames import Frame
from tutor.params import ParamError
from tutor.scenes.registry import SCENES, SceneSpec
from tutor.widgets.controls import SPEEDS, Controls, ControlState
from tutor.widgets.key_bar import KeyBar
from tutor.widgets.scene_view import SceneView

from .prompt import TextPrompt
from .typed_ahead import TypedAhead

WIDE = 110          # columns from which text and scene sit side by side
POST_EVERY = 0.1    # seconds between frame batches from a streaming scene


def predict_content(step: Step, chosen: int | None) -> Content:
    p = step.predict
    lines = [Content.styled(f"Predict: {p.question}", "bold")]
    for i, choice in enumerate(p.choices):
        mark = ""
        if chosen is not None:
            mark = "  ✓" if i == p.answer else ("  ✗ your answer" if i == chosen else "")
        lines.append(Content.assemble((f"  {i + 1}", "bold"), f"  {choice}", (mark, "bold")))
    if chosen is None:
        then = " The scene then shows the engine's answer." if step.scene else ""
        lines.append(Content.styled(f"Press a number to commit to an answer.{then}", "dim"))
    else:
        verdict = "Right." if chosen == p.answer else "Not quite."
        lines.append(Content.assemble((verdict + " ", "bold"), p.explain))
    return Content("\n").join(lines)


class LessonScreen(TypedAhead, Screen):
    DEFAULT_CSS = """
    LessonScreen #top { height: 1; padding: 0 1; background: $boost; }
    LessonScreen #body { height: 1fr; }
    LessonScreen #text { height: auto; max-height: 40%; padding: 0 1; }
    LessonScreen #text Markdown { margin: 0; padding: 0; }
    LessonScreen #predict { padding: 1 0 0 0; }
    LessonScreen #scene-area { height: 1fr; padding: 0 1; }
    LessonScreen.-wide #body { layout: horizontal; }
    LessonScreen.-wide #text { width: 2fr; height: 1fr; max-height: 100%; }
    LessonScreen.-wide #scene-area { width: 3fr; }
    LessonScreen.-no-scene #scene-area { display: none; }
    LessonScreen.-no-scene #text { max-height: 100%; height: 1fr; }
    """
    BINDINGS = [
        Binding("right,space", "next", "Next step", id="lesson.next"),
        Binding("left", "back", "Back", id="lesson.back"),
        Binding("escape", "home", "Home", id="lesson.home"),
        Binding("pageup", "scroll_text(-1)", "Scroll text up", show=False, id="lesson.text_up"),
        Binding("pagedown", "scroll_text(1)", "Scroll text down", show=False, id="lesson.text_down"),
        Binding("p", "play", "Play/pause", id="scene.play"),
        Binding("plus,equals_sign", "speed(1)", "Faster", show=False, id="scene.faster"),
        Binding("minus", "speed(-1)", "Slower", show=False, id="scene.slower"),
        Binding("r", "restart", "Restart", id="scene.restart"),
        Binding("c", "next_control", "Next control", show=False, id="scene.control"),
        Binding("left_square_bracket", "adjust(-1)", "Decrease control", show=False, id="scene.less"),
        Binding("right_square_bracket", "adjust(1)", "Increase control", show=False, id="scene.more"),
        Binding("e", "edit", "Type a value", id="scene.edit"),
        *[Binding(str(n), f"predict({n - 1})", f"Prediction {n}", show=False, id=f"lesson.predict{n}")
          for n in range(1, 10)],
    ]

    def __init__(self, lesson: Lesson, step: int = 0) -> None:
        super().__init__()
        self.lesson = lesson
        self.step_index = min(max(step, 0), len(lesson.steps) - 1)
        self.overrides: dict[int, dict[str, Any]] = {}   # the learner's changes, per step
        self.predictions: dict[int, int] = {}
        self.frames: list[Frame] = []
        self.frame_index = 0
        self.complete = True         # the scene has produced all its frames
        self.playing = False
        self.speed = 2
        self.selected = 0
        self.run_id = 0
        self.timer: Timer | None = None

    # -- layout -------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static(id="top")
        with Vertical(id="body"):
            with VerticalScroll(id="text"):
                yield Static(id="markdown")
                yield Static(id="predict")
            with Vertical(id="scene-area"):
                yield SceneView(id="scene")
                yield Controls(id="controls")
        yield KeyBar()

    def on_mount(self) -> None:
        if not self.begin():
            return
        self.on_resize()
        self.show_step()
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.show_text())

    def on_resize(self) -> None:
        self.set_class(self.size.width >= WIDE, "-wide")

    @property
    def step(self) -> Step:
        return self.lesson.steps[self.step_index]

    @property
    def awaiting_prediction(self) -> bool:
        return self.step.predict is not None and self.step_index not in self.predictions

    @property
    def spec(self) -> SceneSpec | None:
        return SCENES.get(self.step.scene.id) if self.step.scene else None

    def scene_values(self) -> dict[str, Any]:
        assert self.spec is not None and self.step.scene is not None
        values = self.spec.resolve(self.step.scene.values)
        values.update(self.overrides.get(self.step_index, {}))
        return values

    # -- steps --------------------------------------------------------------------
    def show_text(self) -> None:
        """The step's Markdown, its code in the terminal's own colors for a dark or light theme."""
        code = "ansi_dark" if self.app.current_theme.dark else "ansi_light"
        self.query_one("#markdown", Static).update(
            RichMarkdown(self.step.body, code_theme=code, inline_code_theme=code))

    def show_step(self) -> None:
        step, n = self.step, len(self.lesson.steps)
        self.query_one("#top", Static).update(Content.assemble(
            (f"{self.lesson.order} · {self.lesson.title}", "bold"),
            f"   step {self.step_index + 1}/{n}: ", (step.title, "italic")))
        self.show_text()
        predict = self.query_one("#predict", Static)
        predict.display = step.predict is not None
        if step.predict is not None:
            predict.update(predict_content(step, self.predictions.get(self.step_index)))
        self.query_one("#text", VerticalScroll).scroll_home(animate=False)
        # A prediction comes before the reveal: the scene waits for the answer.
        self.set_class(self.spec is None or self.awaiting_prediction, "-no-scene")
        self.app.store.save_step(self.lesson.id, self.step_index, n)
        self.selected = 0
        if self.spec is not None and not self.awaiting_prediction:
            self.start_scene()
        else:
            self.stop_scene()

    def action_next(self) -> None:
        if self.step_index + 1 < len(self.lesson.steps):
            self.step_index += 1
            self.show_step()
        else:
            from .card_offer import offer_new_cards

            self.app.store.mark_done(self.lesson.id, len(self.lesson.steps))
            self.app.notify(Content(f"Lesson complete: {self.lesson.title}"), title="Well done")
            self.app.pop_screen()
            offer_new_cards(self.app, self.lesson)

    def action_back(self) -> None:
        if self.step_index > 0:
            self.step_index -= 1
            self.show_step()

    def action_home(self) -> None:
        self.stop_timer()
        self.app.pop_screen()

    def action_scroll_text(self, direction: int) -> None:
        text = self.query_one("#text", VerticalScroll)
        (text.scroll_page_down if direction > 0 else text.scroll_page_up)(animate=False)

    def action_predict(self, choice: int) -> None:
        step = self.step
        if step.predict is None or choice >= len(step.predict.choices) or self.step_index in self.predictions:
            return
        self.predictions[self.step_index] = choice
        self.query_one("#predict", Static).update(predict_content(step, choice))
        text = self.query_one("#text", VerticalScroll)
        text.call_after_refresh(text.scroll_to_widget, self.query_one("#predict"), animate=False, top=True)
        if self.spec is not None:
            self.remove_class("-no-scene")
            self.start_scene()

    # -- the scene ------------------------------------------------------------------
    def start_scene(self) -> None:
        """(Re)compute the step's scene in a worker; frames arrive in batches."""
        self.run_id += 1
        self.frames, self.frame_index, self.complete = [], 0, False
        self.playing = self.app.animate
        self.query_one(SceneView).status = ""
        self.compute(self.spec, self.scene_values(), self.run_id)
        self.restart_timer()
        self.update_controls()

    def stop_scene(self) -> None:
        """No scene on this step (or it waits for a prediction): the last step's stops.

        A training scene would otherwise go on for seconds in its worker,
        taking the CPU from the step being read and posting frames to a
        hidden view; a new run id turns away any frame already on its way.
        """
        self.stop_timer()
        self.run_id += 1
        self.workers.cancel_group(self, "scene")

    @work(thread=True, exclusive=True, group="scene")
    def compute(self, spec: SceneSpec, values: dict[str, Any], run_id: int) -> None:
        return_large_frees()  # before the engine's first big arrays
        worker = get_current_worker()
        frames: list[Frame] = []
        last = time.monotonic()
        try:
            for frame in spec.frames(values):
                if worker.is_cancelled:
                    return
                frames.append(frame)
                if time.monotonic() - last > POST_EVERY:
                    self.app.call_from_thread(self.receive, run_id, list(frames), False)
                    last = time.monotonic()
        except Exception as exc:  # a scene bug must not take the app down
            self.app.call_from_thread(self.fail, run_id, f"The scene stopped: {type(exc).__name__}: {exc}")
            return
        self.app.call_from_thread(self.receive, run_id, frames, True)

    def receive(self, run_id: int, frames: list[Frame], complete: bool) -> None:
        if run_id != self.run_id or self.closed:
            return  # an older run, superseded by a control change
        self.frames, self.complete = frames, complete
        if not self.app.animate:
            self.frame_index = len(frames) - 1 if frames else 0
        self.show_frame()

    def fail(self, run_id: int, message: str) -> None:
        if run_id == self.run_id and not self.closed:
            self.complete = True
            self.query_one(SceneView).status = message
            self.update_controls()

    def show_frame(self) -> None:
        if self.frames:
            self.frame_index = min(self.frame_index, len(self.frames) - 1)
            self.query_one(SceneView).frame = self.frames[self.frame_index]
        self.update_controls()

    def update_controls(self) -> None:
        spec = self.spec
        params = spec.params if spec else ()
        values = self.scene_values() if spec else {}
        self.query_one(Controls).state = ControlState(
            params, tuple(values[p.name] for p in params), self.selected, self.playing,
            self.speed, self.frame_index, len(self.frames), not self.complete)

    def tick(self) -> None:
        if not self.playing or not self.frames or self.closed:
            return
        if self.frame_index + 1 < len(self.frames):
            self.frame_index += 1
            self.show_frame()
        elif self.complete:
            self.playing = False
            self.update_controls()

    def restart_timer(self) -> None:
        self.stop_timer()
        if self.app.animate:
            self.timer = self.set_interval(SPEEDS[self.speed], self.tick)

    def stop_timer(self) -> None:
        if self.timer is not None:
            self.timer.stop()
            self.timer = None

    def action_play(self) -> None:
        if self.spec is None or self.awaiting_prediction:
            return
        if not self.playing and self.complete and self.frame_index + 1 >= len(self.frames):
            self.frame_index = 0  # at the end: play again from the start
        self.playing = not self.playing
        self.show_frame()

    def action_speed(self, delta: int) -> None:
        self.speed = min(max(self.speed + delta, 0), len(SPEEDS) - 1)
        self.restart_timer()
        self.update_controls()

    def action_restart(self) -> None:
        if self.spec is not None and not self.awaiting_prediction:
            self.frame_index, self.playing = 0, self.app.animate
            self.show_frame()

    def action_next_control(self) -> None:
        if self.spec is not None and self.spec.params and not self.awaiting_prediction:
            self.selected = (self.selected + 1) % len(self.spec.params)
            self.update_controls()

    def set_value(self, name: str, value: Any) -> None:
        self.overrides.setdefault(self.step_index, {})[name] = value
        self.start_scene()

    def action_adjust(self, direction: int) -> None:
        if self.spec is None or not self.spec.params or self.awaiting_prediction:
            return
        param = self.spec.params[self.selected]
        if not param.adjustable:
            self.action_edit()
            return
        value = self.scene_values()[param.name]
        new = param.nudge(value, direction)
        if new != value:
            self.set_value(param.name, new)

    def action_edit(self) -> None:
        if self.spec is None or not self.spec.params or self.awaiting_prediction:
            return
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
