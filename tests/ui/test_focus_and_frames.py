"""Focus that never surprises, the maximised scene, frame keys, and predictions kept."""
from __future__ import annotations

from tutor.screens.home import HomeScreen
from tutor.screens.lesson import LessonScreen
from tutor.widgets.heatmap import Heatmap

from .test_lesson_flow import wait_for_frames


async def open_step(pilot, lesson_id: str, scene: str) -> LessonScreen:
    app = pilot.app
    lesson = app.course.find(lesson_id)
    index = next(i for i, s in enumerate(lesson.steps) if s.scene and s.scene.id == scene and not s.predict)
    app.open_lesson(lesson, index)
    await pilot.pause()
    screen = app.screen
    await wait_for_frames(pilot, screen)
    await pilot.pause()
    return screen


async def test_tab_focuses_the_grid_arrows_move_its_cursor_and_esc_leaves_focus_then_the_lesson(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_step(pilot, "rnn", "rnn_unroll")
        step = screen.step_index
        heatmap = screen.query_one(Heatmap)
        assert screen.focused is None and heatmap.shown_cursor is None
        assert "×" not in heatmap.render_line(heatmap.virtual_size.height - 1).text   # no readout yet
        await pilot.press("tab")
        assert screen.focused is heatmap
        await pilot.press("right", "right", "down")
        await pilot.pause()
        assert screen.step_index == step and heatmap.cursor == (1, 2)
        grid = heatmap.grid
        readout = heatmap.render_line(heatmap.virtual_size.height - 1 - heatmap.scroll_y).text
        assert f"{grid.row_labels[1]} × {grid.col_labels[2]} = " in readout
        await pilot.press("end")
        assert heatmap.cursor == (1, grid.shape[1] - 1)
        await pilot.press("escape")
        await pilot.pause()
        assert screen.focused is None and isinstance(app.screen, LessonScreen) and heatmap.shown_cursor is None
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_z_maximises_the_scene_and_z_or_esc_restores_it(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_step(pilot, "lstm-gru", "gates")
        await pilot.press("z")
        await pilot.pause()
        assert screen.maximized is screen.player and screen.player.region.height >= 22
        view = screen.player.view
        tops = sorted({p.virtual_region.y for p in view.panels()})
        await pilot.press("pagedown", "pagedown")
        await pilot.pause()
        assert view.scroll_y == tops[1]          # past the caption to the first panel, then the second
        await pilot.press("pageup")
        await pilot.pause()
        assert view.scroll_y == tops[0]
        await pilot.press("escape")
        await pilot.pause()
        assert screen.maximized is None and isinstance(app.screen, LessonScreen)
        await pilot.press("z", "z")
        await pilot.pause()
        assert screen.maximized is None


async def test_frame_keys_and_a_control_change_keep_the_place(make_app):
    app = make_app(animate=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_step(pilot, "rnn", "rnn_unroll")
        player = screen.player
        assert screen.focused is None        # the lesson opens with nothing focused: arrows change the step
        await pilot.press("end")
        assert player.frame_index == len(player.frames) - 1 and not player.playing
        await pilot.press("comma", "comma")
        assert player.frame_index == len(player.frames) - 3 and not player.playing
        await pilot.press("full_stop")
        at = player.frame_index
        assert at == len(player.frames) - 2
        await pilot.press("c", "right_square_bracket")            # hidden size 8 -> 9, same sentence
        await wait_for_frames(pilot, screen)
        await pilot.pause(0.2)
        assert player.frame_index == at and not player.playing


async def test_a_committed_prediction_is_remembered_when_the_lesson_is_opened_again(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        lesson = app.course.find("vanishing")
        index = next(i for i, s in enumerate(lesson.steps) if s.predict and s.scene)
        app.open_lesson(lesson, index)
        await pilot.pause()
        await pilot.press("1")
        await pilot.press("escape")
        await pilot.pause()
        app.open_lesson(lesson, index)
        await pilot.pause()
        screen = app.screen
        assert not screen.awaiting_prediction and not screen.has_class("-no-scene")
        await wait_for_frames(pilot, screen)


async def test_scene_keys_are_off_the_bar_on_a_step_without_a_scene(make_app):
    from tutor.widgets.key_bar import KeyBar

    app = make_app()
    async with app.run_test(size=(120, 24)) as pilot:
        app.open_lesson(app.course.find("rnn"), 0)
        await pilot.pause()
        assert app.screen.step.scene is None
        text = str(app.screen.query_one(KeyBar).render())
        assert "Play/pause" not in text and "Restart" not in text and "Type a value" not in text
        await pilot.press("right")
        await pilot.pause()
        assert "Play/pause" in str(app.screen.query_one(KeyBar).render())
