"""A learner's walk: home → lesson → steps → scene → quit, and resuming later."""
from __future__ import annotations

from textual.widgets import OptionList

from tutor.screens.home import HomeScreen
from tutor.screens.lesson import LessonScreen
from tutor.widgets.controls import Controls
from tutor.widgets.heatmap import Heatmap
from tutor.widgets.scene_view import SceneView

from ..course.lesson_files import GOOD, write


async def open_rnn(pilot):
    options = pilot.app.screen.query_one(OptionList)
    options.highlighted = next(i for i, lesson in enumerate(pilot.app.course.lessons) if lesson.id == "rnn")
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, LessonScreen)
    return pilot.app.screen


async def wait_for_frames(pilot, screen, complete=True):
    for _ in range(100):
        await pilot.pause(0.05)
        if screen.player.frames and (screen.player.complete or not complete):
            return
    raise AssertionError("the scene produced no frames")


async def test_home_lists_lessons_with_progress(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        options = app.screen.query_one(OptionList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert any("Recurrent neural networks" in p and "not started" in p and "12 min" in p for p in prompts)


async def test_steps_forward_back_scene_animates_and_quit(make_app):
    app = make_app(animate=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_rnn(pilot)
        assert screen.step_index == 0
        await pilot.press("right")
        assert screen.step_index == 1 and screen.step.scene is not None
        await wait_for_frames(pilot, screen)
        start = screen.player.frame_index
        for _ in range(60):
            await pilot.pause(0.05)
            if screen.player.frame_index > start + 1:
                break
        assert screen.player.frame_index > start + 1, "the animation did not advance"
        grid = screen.query_one(Heatmap).grid
        assert grid is screen.player.frames[screen.player.frame_index].panels[0]
        await pilot.press("left")
        assert screen.step_index == 0
        await pilot.press("space")
        assert screen.step_index == 1
        await pilot.press("q")
    assert app.return_code == 0


async def test_play_pause_speed_and_restart_keys(make_app):
    app = make_app(animate=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_rnn(pilot)
        await pilot.press("right")
        await wait_for_frames(pilot, screen)
        controls = screen.query_one(Controls)
        assert screen.player.playing and screen.player.speed == 2                     # 0.35 s a frame, 7 frames
        await pilot.press("p")
        assert not screen.player.playing
        paused_at = screen.player.frame_index
        await pilot.pause(0.8)                                          # two ticks' time
        assert screen.player.frame_index == paused_at
        await pilot.press(*["plus"] * 4)
        assert screen.player.speed == 5 and "speed 6/6" in str(controls.render())  # the fastest, and it stays
        await pilot.press("p")
        for _ in range(60):                                             # on to the end, then it stops
            await pilot.pause(0.05)
            if not screen.player.playing:
                break
        assert not screen.player.playing and screen.player.frame_index == len(screen.player.frames) - 1
        await pilot.press(*["minus"] * 6)
        assert screen.player.speed == 0 and "speed 1/6" in str(controls.render())  # 1 s a frame
        await pilot.press("r")
        assert screen.player.frame_index == 0 and screen.player.playing
        await pilot.press("p")
        assert not screen.player.playing and screen.player.frame_index == 0


async def test_leaving_a_training_scene_for_a_step_without_one_stops_its_worker(make_app):
    from textual.worker import WorkerState

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        lesson = app.course.find("training")
        index = next(i for i, s in enumerate(lesson.steps) if s.title == "Copying instead")
        assert lesson.steps[index].scene.id == "train_transformer" and lesson.steps[index + 1].scene is None
        app.open_lesson(lesson)
        await pilot.pause()
        screen = app.screen
        while screen.step_index < index:
            await pilot.press("right")
        if screen.awaiting_prediction:                        # a number prediction comes first
            await pilot.press("3", "enter")
        await wait_for_frames(pilot, screen, complete=False)
        assert not screen.player.complete                     # 400 training steps: still running
        running = [w for w in app.workers if w.group == "scene" and w.state == WorkerState.RUNNING]
        assert running and not any(w.is_cancelled for w in running)
        await pilot.press("right")
        assert all(w.is_cancelled for w in running)   # it stops at its next frame, within ~40 ms
        for _ in range(40):
            if all(w.state == WorkerState.CANCELLED for w in running):
                break
            await pilot.pause(0.05)
        assert all(w.state == WorkerState.CANCELLED for w in running)
        shown = screen.player.frames
        screen.player.receive(screen.player.run_id - 1, [], True)    # a frame already on its way is turned away
        assert screen.player.frames is shown


async def test_reopening_resumes_at_saved_step(make_app, tmp_path):
    store_path = tmp_path / "shared.sqlite3"
    app = make_app(store_path=store_path)
    async with app.run_test() as pilot:
        screen = await open_rnn(pilot)
        for _ in range(3):
            await pilot.press("right")
        assert screen.step_index == 3
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "step 4 of" in str(app.screen.query_one(OptionList).get_option("rnn").prompt)
    app.store.close()
    again = make_app(store_path=store_path)
    async with again.run_test() as pilot:
        screen = await open_rnn(pilot)
        assert screen.step_index == 3


async def test_finishing_a_lesson_marks_it_done(make_app):
    app = make_app()
    async with app.run_test() as pilot:
        screen = await open_rnn(pilot)
        for _ in range(len(screen.lesson.steps)):
            await pilot.press("right")
        await pilot.pause()
        assert type(app.screen).__name__ == "CardOffer"  # its new cards are offered; "n" declines
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.store.progress("rnn").done


async def type_sentence(pilot, text: str):
    await pilot.press("e")
    await pilot.pause()
    prompt_input = pilot.app.screen.query_one("Input")
    prompt_input.value = ""
    await pilot.press(*list(text))
    assert prompt_input.value == text
    await pilot.press("enter")
    await pilot.pause()


async def test_markup_in_a_typed_sentence_is_shown_literally(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_rnn(pilot)
        await pilot.press("right")
        await wait_for_frames(pilot, screen)
        for text, tokens in [("[/]", ("[", "/", "]")), ("[bold]x", ("[", "bold", "]", "x")),
                             ("[@click=app.quit]x[/]", None)]:
            await type_sentence(pilot, text)
            await wait_for_frames(pilot, screen)
            assert screen.player.scene_values()["sentence"] == text
            controls = str(screen.query_one(Controls).render())
            assert f"“{text}”" in controls
            if tokens:
                assert screen.query_one(Heatmap).grid.col_labels == tokens
        assert app.is_running  # the [@click=app.quit] text did not quit


async def test_hidden_size_control_recomputes(make_app):
    app = make_app()
    async with app.run_test() as pilot:
        screen = await open_rnn(pilot)
        await pilot.press("right")
        await wait_for_frames(pilot, screen)
        assert screen.query_one(Heatmap).grid.shape[0] == 8
        await pilot.press("c", "right_square_bracket", "right_square_bracket")
        await wait_for_frames(pilot, screen)
        await pilot.pause(0.1)
        assert screen.player.scene_values()["hidden"] == 10
        assert screen.query_one(Heatmap).grid.shape[0] == 10


async def test_help_lists_the_screen_keys(make_app):
    app = make_app()
    async with app.run_test() as pilot:
        await open_rnn(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        text = " ".join(f"{keys} {what}" for keys, what in app.screen.bindings)
        for needle in ("Next step", "Play/pause", "Restart", "Quit", "Decrease control"):
            assert needle in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LessonScreen)


async def test_broken_lesson_is_listed_and_the_rest_work(make_app, tmp_path):
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    write(lessons, "a.md", GOOD)
    write(lessons, "b.md", GOOD.replace("id: tiny\n", "id: b\n").replace("id: rnn_unroll", "id: nope")
          .replace("tiny.", "b."))
    app = make_app(paths=[lessons])
    async with app.run_test() as pilot:
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        assert options.option_count == 2
        broken = options.get_option_at_index(1)
        assert broken.disabled and "unknown scene 'nope'" in str(broken.prompt)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LessonScreen) and app.screen.lesson.id == "tiny"
        assert isinstance(app.screen.query_one(SceneView), SceneView)


async def test_a_prediction_holds_the_scene_back_until_answered(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        lesson = app.course.find("vanishing")
        index = next(i for i, s in enumerate(lesson.steps) if s.predict and s.scene)
        app.store.save_step("vanishing", index, len(lesson.steps))
        app.open_lesson(lesson)
        await pilot.pause()
        screen = app.screen
        assert screen.step_index == index and screen.awaiting_prediction
        assert screen.has_class("-no-scene") and screen.player.frames == []
        await pilot.press("p", "r", "right_square_bracket")  # scene keys wait too
        assert screen.player.frames == [] and screen.player.overrides == {}
        await pilot.press(str(screen.step.predict.answer + 1))
        await wait_for_frames(pilot, screen)
        assert not screen.has_class("-no-scene") and screen.player.frames
        assert "Right." in str(screen.query_one("#predict").render())
