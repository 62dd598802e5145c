"""The palette in a terminal too small for it: never two palettes (their ids clashed: DuplicateIds)."""
from __future__ import annotations

from textual.command import CommandPalette

from tutor.screens.too_small import TooSmall


def palettes(app) -> int:
    return sum(isinstance(screen, CommandPalette) for screen in app.screen_stack)


async def test_ctrl_p_twice_in_a_tiny_terminal(make_app):
    app = make_app()
    async with app.run_test(size=(30, 10)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TooSmall)
        for _ in range(3):
            await pilot.press("ctrl+p")
            await pilot.pause()
        assert app.is_running and app._exception is None and palettes(app) == 0


async def test_shrinking_with_the_palette_open_then_ctrl_p(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert palettes(app) == 1
        await pilot.resize_terminal(30, 10)
        await pilot.pause()
        assert isinstance(app.screen, TooSmall)
        for _ in range(2):
            await pilot.press("ctrl+p")
            await pilot.pause()
        assert app.is_running and app._exception is None and palettes(app) == 1
        await pilot.resize_terminal(80, 24)   # room again: the palette is back, and works
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press("escape")
        await pilot.pause()
        assert palettes(app) == 0
