"""Lesson: one step at a time, its text beside (or above) its live scene."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual._styles_cache import StylesCache
from rich.markdown import Markdown as RichMarkdown
from textual.widgets import Input, Static

from tutor.course import Lesson, Step
from tutor.scenes.registry import SCENES, SceneSpec
from tutor.widgets.caption import Caption
from tutor.widgets.drawn_once import DrawnOnce
from tutor.widgets.key_bar import KeyBar
from tutor.widgets.laid_out_once import SteadyScroll, SteadyStatic
from tutor.widgets.number_predict import NumberPredict
from tutor.widgets.predict_view import PredictView
from tutor.widgets.scene_player import ScenePlayer

from .prompt_updates import PromptUpdates
from .typed_ahead import TypedAhead
from .warming import WarmsNextStep

WIDE = 110          # columns from which text and scene sit side by side


class LessonScreen(WarmsNextStep, PromptUpdates, TypedAhead, Screen):
    ALLOW_IN_MAXIMIZED_VIEW = "KeyBar"
    AUTO_FOCUS = ""      # nothing: tab goes to the scene's first grid; arrows change the step until then
    # align: what Textual's maximised view sets (App CSS, Screen.-maximized-view), set here
    # always: its children fill the screen either way, and a change of align makes Textual
    # lay out every widget again (refresh_children), ~10 ms of each z.
    DEFAULT_CSS = """
    LessonScreen { align: center middle; }
    LessonScreen #top { height: 1; padding: 0 1; background: $boost; }
    LessonScreen #body { height: 1fr; }
    LessonScreen #text { height: auto; max-height: 40%; padding: 0 1; }
    LessonScreen #text Markdown { margin: 0; padding: 0; }
    LessonScreen #scene-area { height: 1fr; padding: 0 1; }
    LessonScreen.-wide #body { layout: horizontal; }
    LessonScreen.-wide #text { width: 2fr; height: 1fr; max-height: 100%; }
    LessonScreen.-wide #scene-area { width: 3fr; }
    LessonScreen #scene-area.-maximized { width: 100%; height: 1fr; }
    LessonScreen #text.-alone { max-height: 100%; height: 1fr; }
    """
    BINDINGS = [
        Binding("right,space", "next", "Next step", id="lesson.next"),
        Binding("left", "back", "Back", id="lesson.back"),
        Binding("escape", "home", "Home", id="lesson.home"),
        Binding("pageup", "page(-1)", "Scroll text up (maximised: previous panel)", show=False,
                id="lesson.text_up"),
        Binding("pagedown", "page(1)", "Scroll text down (maximised: next panel)", show=False,
                id="lesson.text_down"),
        Binding("z", "maximise", "Maximise scene", id="scene.maximise"),
        Binding("p", "play", "Play/pause", id="scene.play"),
        Binding("plus,equals_sign", "speed(1)", "Faster", show=False, id="scene.faster"),
        Binding("minus", "speed(-1)", "Slower", show=False, id="scene.slower"),
        Binding("r", "restart", "Restart", id="scene.restart"),
        Binding("end", "last_frame", "Last frame", show=False, id="scene.last"),
        Binding("comma", "step_frame(-1)", "Frame back (pauses)", show=False, id="scene.frame_back"),
        Binding("full_stop", "step_frame(1)", "Frame forward (pauses)", show=False, id="scene.frame_forward"),
        Binding("c", "next_control", "Next control", show=False, id="scene.control"),
        Binding("left_square_bracket", "adjust(-1)", "Decrease control", show=False, id="scene.less"),
        Binding("right_square_bracket", "adjust(1)", "Increase control", show=False, id="scene.more"),
        Binding("e", "edit", "Type a value", id="scene.edit"),
        Binding("i", "caption", "Caption: whole / first line", show=False, id="scene.caption"),
        *[Binding(str(n), f"predict({n - 1})", f"Prediction {n}", show=False, id=f"lesson.predict{n}")
          for n in range(1, 10)],
    ]

    def __init__(self, lesson: Lesson, step: int = 0) -> None:
        super().__init__()
        self.lesson = lesson
        self.step_index = min(max(step, 0), len(lesson.steps) - 1)
        self.predictions: dict[int, int] = {}

    # -- layout -------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static(id="top")
        with Vertical(id="body"):
            with SteadyScroll(id="text", can_focus=False):
                yield SteadyStatic(id="markdown")
                yield PredictView(id="predict")
                yield NumberPredict(id="estimate")
            yield ScenePlayer(id="scene-area")
        yield KeyBar()

    def on_mount(self) -> None:
        if not self.begin():
            return
        # a prediction once committed stays: back on its step, the answer and the scene show
        self.predictions = getattr(self.app, "predictions", {}).setdefault(self.lesson.id, self.predictions)
        estimate = self.query_one(NumberPredict)
        estimate.results = getattr(self.app, "estimates", {}).setdefault(self.lesson.id, estimate.results)
        self.query_one(Caption).foldable = True   # i unfolds it: a lesson has the key
        self.on_resize()
        self.show_step()
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.show_text())
        self.screen_layout_refresh_signal.subscribe(self, self.note_layout)   # WarmsNextStep

    def on_unmount(self) -> None:
        # A signal keeps its subscribers in a WeakKeyDictionary whose values (the callbacks)
        # hold the subscriber: without this, every lesson ever opened stays in memory.
        self.app.theme_changed_signal.unsubscribe(self)
        self.screen_layout_refresh_signal.unsubscribe(self)
        # Textual memoises StylesCache.get_inner_outer with the cache itself in the key, so
        # the last 1,024 widgets' caches (every line they drew) outlive them: measured, 15
        # lessons walked left 130,000 such objects. The memo is only colours; it refills.
        StylesCache.get_inner_outer.cache_clear()

    def on_resize(self) -> None:
        self.set_class(self.size.width >= WIDE, "-wide")
        for caption in self.query(Caption):   # folded or whole depends on the screen's height
            caption.redraw()

    @property
    def step(self) -> Step:
        return self.lesson.steps[self.step_index]

    @property
    def awaiting_prediction(self) -> bool:
        if self.step.predict is not None and self.step.predict.kind == "number":
            return self.step_index not in self.query_one(NumberPredict).results
        return self.step.predict is not None and self.step_index not in self.predictions

    @property
    def estimating(self) -> bool:
        """A number prediction waits on this step: digits, '.' and '-' start typing it."""
        return self.step.predict is not None and self.step.predict.kind == "number" and self.awaiting_prediction

    def action_estimate(self, text: str) -> None:
        if self.estimating:
            self.query_one(NumberPredict).start_typing(text)

    def on_key(self, event) -> None:
        """On a number prediction, a digit, '.' or '-' starts the number (before the keys' bindings),
        and an enter that overtook the focus (keys typed in one burst) still submits it."""
        if not (self.built and self.estimating) or isinstance(self.focused, Input):
            return
        if event.character is not None and event.character in "0123456789.-":
            event.prevent_default()
            event.stop()
            self.action_estimate(event.character)
        elif event.key == "enter" and self.query_one(NumberPredict).typed:
            event.prevent_default()
            event.stop()
            self.query_one(NumberPredict).submit()

    def on_paste(self, event) -> None:
        if self.built and self.estimating and not isinstance(self.focused, Input):
            event.stop()
            self.action_estimate(event.text)

    @property
    def spec(self) -> SceneSpec | None:
        return SCENES.get(self.step.scene.id) if self.step.scene else None

    # -- steps --------------------------------------------------------------------
    def show_text(self) -> None:
        """The step's Markdown, its code in the terminal's own colors for a dark or light theme."""
        code = "ansi_dark" if self.app.current_theme.dark else "ansi_light"
        self.query_one("#markdown", Static).update(
            DrawnOnce(RichMarkdown(self.step.body, code_theme=code, inline_code_theme=code)))

    def show_step(self) -> None:
        step, n = self.step, len(self.lesson.steps)
        self.query_one("#top", Static).update(Content.assemble(
            (f"{self.lesson.order} · {self.lesson.title}", "bold"),
            f"   step {self.step_index + 1}/{n}: ", (step.title, "italic")))
        self.show_text()
        predict = self.query_one(PredictView)
        predict.display = step.predict is not None and step.predict.kind == "choice"
        if predict.display:
            predict.state = (step, self.predictions.get(self.step_index))
        estimate = self.query_one(NumberPredict)
        estimate.display = step.predict is not None and step.predict.kind == "number"
        if estimate.display:
            overrides = self.player.overrides.get(self.step_index, {})
            estimate.show(step.predict, self.step_index, self.spec.resolve({**step.scene.values, **overrides}))
        self.query_one("#text", VerticalScroll).scroll_home(animate=False)
        self.set_focus(None)
        # A prediction comes before the reveal: the scene waits for the answer.
        self.show_scene_area(self.scene_ready())
        self.app.store.save_step(self.lesson.id, self.step_index, n)
        self.show_scene()

    def show_scene_area(self, shown: bool) -> None:
        """The scene area shown, or hidden and the text given the room, restyling only the text
        pane ("-no-scene" on the screen, a marker, restyled every widget: 20 ms)."""
        self.set_class(not shown, "-no-scene", update=False)
        self.player.display = shown
        self.query_one("#text").set_class(not shown, "-alone")

    def show_scene(self) -> None:
        self.refresh_bindings()   # the scene's keys come and go with the scene
        if self.scene_ready():
            self.player.show(self.spec, self.step.scene.values, key=self.step_index)
        else:
            self.player.stop()
            if self.maximized is not None:
                self.minimize()   # nothing to fill the screen with
            self.warm_soon()

    def on_scene_player_finished(self, _event: ScenePlayer.Finished) -> None:
        self.warm_soon()

    def action_next(self) -> None:
        if self.step_index + 1 < len(self.lesson.steps):
            self.step_index += 1
            self.show_step()
        else:
            from .card_offer import offer_new_cards

            self.app.store.mark_done(self.lesson.id, len(self.lesson.steps))
            self.app.pop_screen()
            offer_new_cards(self.app, self.lesson)

    def action_back(self) -> None:
        if self.step_index > 0:
            self.step_index -= 1
            self.show_step()

    def action_home(self) -> None:
        if isinstance(self.focused, Input):     # esc first leaves the number being typed
            self.set_focus(None)
            return
        self.player.stop()
        self.app.pop_screen()

    def action_scroll_text(self, direction: int) -> None:
        text = self.query_one("#text", VerticalScroll)
        (text.scroll_page_down if direction > 0 else text.scroll_page_up)(animate=False)

    def action_page(self, direction: int) -> None:
        """pgdn/pgup: the text, or in the maximised scene the next (previous) whole panel."""
        if self.maximized is not None:
            self.player.view.page(direction)
        else:
            self.action_scroll_text(direction)

    def action_caption(self) -> None:
        """i: the scene's caption whole, or folded to its first line again (short screens)."""
        caption = self.query_one(Caption)
        caption.expanded = not caption.expanded

    def action_maximise(self) -> None:
        """The scene fills the screen (Textual's maximise); z again, or esc, restores it."""
        if self.maximized is not None:
            self.minimize()
        elif self.scene_ready():
            if self.focused is not None and self.player not in self.focused.ancestors:
                self.set_focus(None)
            self.maximize(self.player, container=False)

    def _watch_maximized(self, previously: Widget | None, maximized: Widget | None) -> None:
        """Textual's own watcher, restyling only the nodes whose classes change. Textual
        restyles them with all their descendants (every widget: 20-30 ms of the z key); no
        rule selects a descendant by "-maximized-view" or "-maximized" but the scene area."""
        changed = [node for node in (self, previously, maximized) if node is not None]
        self.set_class(maximized is not None, "-maximized-view", update=False)
        if previously is not None:
            previously.remove_class("-maximized", update=False)
        if maximized is not None:
            maximized.add_class("-maximized", update=False)
        self.app.stylesheet.update_nodes(changed, animate=False)

    def action_predict(self, choice: int) -> None:
        step = self.step
        if step.predict is None or choice >= len(step.predict.choices) or self.step_index in self.predictions:
            return
        self.predictions[self.step_index] = choice
        self.query_one(PredictView).state = (step, choice)
        if self.spec is not None:
            self.show_scene_area(True)
            self.show_scene()
        self.scroll_text_to(self.query_one("#predict"))

    def on_number_predict_committed(self, event: NumberPredict.Committed) -> None:
        if event.key == self.step_index and self.spec is not None:
            self.set_focus(None)
            self.show_scene_area(True)
            self.show_scene()
            self.refresh_bindings()
            self.scroll_text_to(self.query_one(NumberPredict))

    def scroll_text_to(self, widget: Widget) -> None:
        """The text pane scrolled to put `widget` (an answered prediction) at its top, once the
        screen is laid out with the scene it revealed (which may hold the screen: OneUpdate)."""
        text = self.query_one("#text", VerticalScroll)
        self.player.view.one_update.after(lambda: text.scroll_to_widget(widget, animate=False, top=True))

    # -- the scene: the player runs it; these are the screen's keys for it ----------------
    @property
    def player(self) -> ScenePlayer:
        return self.query_one(ScenePlayer)

    def scene_ready(self) -> bool:
        return self.spec is not None and not self.awaiting_prediction

    SCENE_ACTIONS = frozenset({"play", "speed", "restart", "next_control", "adjust", "edit", "maximise", "caption",
                               "last_frame", "step_frame"})

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Not built yet: no key acts. The scene's keys are off the bar on a step without a scene.
        While a number prediction is typed, keys are text (digits, -, e, space, arrows); esc leaves the box."""
        if not self.built:
            return False
        if isinstance(self.focused, Input):
            return action == "home"
        if action in self.SCENE_ACTIONS and not self.scene_ready():
            return False
        return True

    def action_play(self) -> None:
        if self.scene_ready():
            self.player.play()

    def action_speed(self, delta: int) -> None:
        self.player.change_speed(delta)

    def action_restart(self) -> None:
        if self.scene_ready():
            self.player.restart()

    def action_last_frame(self) -> None:
        if self.scene_ready():
            self.player.last_frame()

    def action_step_frame(self, delta: int) -> None:
        if self.scene_ready():
            self.player.step_frame(delta)

    def action_next_control(self) -> None:
        if self.scene_ready():
            self.player.next_control()

    def action_adjust(self, direction: int) -> None:
        if self.scene_ready():
            self.player.adjust(direction)

    def action_edit(self) -> None:
        if self.scene_ready():
            self.player.edit()
