"""What keeps a step switch and the z key cheap: no restyle of the whole screen,
and a panel drawn once per width (docs/benchmarks.md, the switch and maximise rows)."""
from __future__ import annotations

from collections import Counter

from tutor.screens.lesson import LessonScreen
from tutor.widgets import panel_view

from .test_focus_and_frames import open_step
from .test_lesson_flow import wait_for_frames


def count_restyles(app) -> Counter:
    """Nodes restyled from now on, by class name (Textual restyles a node through Stylesheet.apply)."""
    counts: Counter = Counter()
    apply = app.stylesheet.apply

    def counting(node, *args, **kwargs):
        counts[type(node).__name__] += 1
        return apply(node, *args, **kwargs)

    app.stylesheet.apply = counting
    return counts


async def test_z_restyles_the_screen_and_the_scene_area_not_every_widget(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_step(pilot, "lstm-gru", "gates")
        restyled = count_restyles(app)
        await pilot.press("z")
        await pilot.pause()
        assert screen.maximized is screen.player and screen.player.has_class("-maximized")
        assert screen.has_class("-maximized-view") and screen.player.styles.width.value == 100
        # the screen and the scene area (and their scrollbars); Textual restyled every widget: 39 nodes here
        assert sum(restyled.values()) <= 6, restyled
        restyled.clear()
        await pilot.press("z")
        await pilot.pause()
        assert screen.maximized is None and not screen.player.has_class("-maximized")
        assert not screen.has_class("-maximized-view") and screen.player.styles.width.value == 3   # 3fr again
        assert sum(restyled.values()) <= 6, restyled


async def test_a_step_without_a_scene_hides_the_scene_without_restyling_the_screen(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        lesson = app.course.find("qkv")
        index = next(i for i, s in enumerate(lesson.steps) if s.title.startswith("Stage 4"))
        assert lesson.steps[index - 1].scene is None and lesson.steps[index].scene is not None
        app.open_lesson(lesson, index)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LessonScreen)
        await wait_for_frames(pilot, screen)
        restyled = count_restyles(app)
        screen.action_back()
        await pilot.pause()
        assert screen.has_class("-no-scene") and not screen.player.display
        assert screen.query_one("#text").region.height == screen.query_one("#body").region.height
        assert restyled["Heatmap"] == 0 and restyled["KeyBar"] == 0, restyled   # only the text pane
        screen.action_next()
        await wait_for_frames(pilot, screen)
        await pilot.pause()
        assert not screen.has_class("-no-scene") and screen.player.display and screen.player.region.width > 60
        assert restyled["Heatmap"] == 0 and restyled["KeyBar"] == 0, restyled


async def test_a_panel_is_drawn_once_at_each_width(make_app, monkeypatch):
    drawn: Counter = Counter()
    renderers = dict(panel_view.RENDERERS)

    def counting(kind):
        def render(panel, width, look):
            drawn[(id(panel), width)] += 1
            return renderers[kind](panel, width, look)
        return render

    monkeypatch.setattr(panel_view, "RENDERERS", {kind: counting(kind) for kind in renderers})
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_step(pilot, "vanishing", "gradient_decay")
        await pilot.press("z", "z")
        await pilot.pause()
        assert screen.maximized is None
        assert drawn and max(drawn.values()) == 1, drawn   # up to 12 times at one width before


async def test_a_step_shown_while_its_warm_up_runs_takes_the_warm_ups_frames(make_app, monkeypatch):
    from tutor.scenes import bottleneck
    from tutor.widgets import scene_player
    from tutor.widgets.frame_cache import FrameCache

    monkeypatch.setattr(scene_player, "FRAMES", FrameCache())    # nothing computed before
    runs = []
    measure = bottleneck.measure

    def counted(*args):
        runs.append(args)
        yield from measure(*args)

    monkeypatch.setattr(bottleneck, "measure", counted)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        lesson = app.course.find("attention")
        index = next(i for i, s in enumerate(lesson.steps) if s.title == "Looking back")
        assert lesson.steps[index + 1].scene.id == "bottleneck"
        app.open_lesson(lesson, index)
        await pilot.pause()
        screen = app.screen
        for _ in range(200):                 # the next step's scene warms once this one is drawn
            if runs:
                break
            await pilot.pause(0.01)
        assert runs and screen.player.warm_running()
        screen.action_next()                 # the learner moves on before it is done
        await wait_for_frames(pilot, screen)
        assert len(runs) == 1 and len(screen.player.frames) == len(bottleneck.BUCKETS)
        assert screen.player.frames[-1].caption.startswith("3–6 words")


async def test_z_does_not_ask_for_a_second_layout_from_each_grid(make_app):
    from tutor.widgets.heatmap import Heatmap

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_step(pilot, "lstm-gru", "gates")
        asked = []
        for grid in screen.query(Heatmap):
            refresh = grid.refresh

            def counting(*regions, grid=grid, refresh=refresh, **kwargs):
                if kwargs.get("layout"):
                    asked.append(grid)
                return refresh(*regions, **kwargs)

            grid.refresh = counting
        assert len(screen.query(Heatmap)) >= 6
        for _ in range(2):
            await screen.run_action("maximise")
            asked.clear()                     # restyling the scene area lays it out again, once
            await pilot.pause()
            await pilot.pause(0.1)
            # each grid takes its new width's size as it is laid out; on Resize, every grid
            # asked for a second layout pass (and was drawn again)
            assert not asked, len(asked)


async def test_a_steps_text_is_drawn_once_at_each_width(make_app, monkeypatch):
    from rich.markdown import Markdown

    drawn: Counter = Counter()
    draw = Markdown.__rich_console__

    def counting(self, console, options):
        drawn[(id(self), options.max_width)] += 1
        return draw(self, console, options)

    monkeypatch.setattr(Markdown, "__rich_console__", counting)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_step(pilot, "lstm-gru", "gates")
        await pilot.press("z", "z", "right", "left")
        await pilot.pause()
        assert screen.maximized is None
        # measured, painted, laid out again after z: two to four times each before
        assert drawn and max(drawn.values()) == 1, drawn
