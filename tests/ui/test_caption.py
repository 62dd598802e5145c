"""A long caption folds to one line on a short screen, so the panels come first; i unfolds it."""
from tutor.screens.lesson import LessonScreen
from tutor.widgets.caption import HINT, Caption, folded_line


def test_folded_line_cuts_the_first_line_and_names_the_key():
    assert folded_line("short", 40) == "short"                       # one line that fits: as it is
    line = folded_line("a" * 100 + "\nsecond", 40)
    assert len(line) == 40 and line.endswith("…" + HINT)
    assert folded_line("fits\nbut more follows", 40) == "fits…" + HINT


async def caption_lines(make_app, size, press_i: bool) -> tuple[int, int]:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        lesson = app.course.find("positional")
        app.open_lesson(lesson, next(i for i, s in enumerate(lesson.steps) if s.title == "The PE matrix"))
        await pilot.pause()
        await pilot.press("2")                 # the prediction first, then the scene
        screen = app.screen
        assert isinstance(screen, LessonScreen)
        for _ in range(300):
            if screen.player.complete and screen.player.frames:
                break
            await pilot.pause(0.02)
        await pilot.pause(0.05)
        caption = screen.query_one(Caption)
        before = caption.size.height
        if press_i:
            await pilot.press("i")
            await pilot.pause(0.05)
        return before, caption.size.height


async def test_the_caption_folds_at_80x24_and_i_unfolds_it(make_app):
    folded, unfolded = await caption_lines(make_app, (80, 24), press_i=True)
    assert folded == 1 and unfolded > 2


async def test_the_caption_is_whole_on_a_tall_screen(make_app):
    whole, _ = await caption_lines(make_app, (120, 40), press_i=False)
    assert whole > 1
