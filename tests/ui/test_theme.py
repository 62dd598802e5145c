"""Themes: t switches dark and light, the choice is remembered, grids redraw in the new palette."""
from __future__ import annotations

import re

from textual.widgets import Input

from tutor.app import DARK, LIGHT, THEME_SETTING
from tutor.render.palette import ramp
from tutor.screens.lesson import LessonScreen
from tutor.store import Store
from tutor.widgets.heatmap import Heatmap


def colors(app) -> set[str]:
    return set(re.findall(r"#[0-9a-f]{6}", app.export_screenshot()))


def ramp_only(dark: bool) -> set[str]:
    """The diverging ramp's colors that the other theme's ramp does not use."""
    mine, other = ({"#%02x%02x%02x" % c for c in ramp("diverging", d)} for d in (dark, not dark))
    return mine - other


async def open_grid(pilot) -> LessonScreen:
    app = pilot.app
    rnn = app.course.find("rnn")
    step = next(i for i, s in enumerate(rnn.steps) if s.scene and s.scene.id == "rnn_unroll")
    app.open_lesson(rnn, step)
    await pilot.pause()
    screen = app.screen
    for _ in range(100):
        await pilot.pause(0.05)
        if screen.player.frames and screen.player.complete:
            break
    await pilot.pause()
    return screen


async def test_t_switches_theme_and_it_is_remembered(make_app, tmp_path):
    path = tmp_path / "theme.sqlite3"
    app = make_app(store_path=path)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.theme == DARK
        await pilot.press("t")
        assert app.theme == LIGHT and not app.current_theme.dark
        await pilot.pause()
        assert app.store.setting(THEME_SETTING) == LIGHT
    app.store.close()
    again = make_app(store_path=path)
    async with again.run_test() as pilot:
        await pilot.pause()
        assert again.theme == LIGHT
        await pilot.press("t")
        await pilot.pause()
    again.store.close()
    assert Store.open(path).setting(THEME_SETTING) == DARK


async def test_an_unknown_saved_theme_is_ignored(make_app, tmp_path):
    path = tmp_path / "odd.sqlite3"
    store = Store.open(path)
    store.set_setting(THEME_SETTING, "[/]no-such-theme")
    store.close()
    app = make_app(store_path=path)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.theme == DARK


async def test_grids_redraw_in_the_light_palette(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_grid(pilot)
        assert app.screen.query_one(Heatmap).grid is not None
        dark = colors(app)
        assert dark & ramp_only(True) and not dark & ramp_only(False)
        await pilot.press("t")
        await pilot.pause(0.1)
        light = colors(app)
        assert light & ramp_only(False) and not light & ramp_only(True)


async def test_typing_t_in_an_input_types_it(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_grid(pilot)
        await pilot.press("e")
        await pilot.pause()
        field = app.screen.query_one(Input)
        field.value = ""
        await pilot.press("t", "o", "t")
        assert field.value == "tot" and app.theme == DARK


async def test_no_color_draws_grids_with_shading(make_app, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_grid(pilot)
        heatmap = app.screen.query_one(Heatmap)
        assert heatmap.look.mono
        drawn = "".join(heatmap.render_line(y).text for y in range(heatmap.size.height))
        assert set(drawn) & set("░▒▓█")


async def test_lesson_code_is_colored_for_the_theme_it_is_read_in(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_grid(pilot)
        text = screen.query_one("#markdown")
        assert text.content.code_theme == "ansi_dark"
        await pilot.press("t")
        await pilot.pause()
        assert text.content.code_theme == "ansi_light" and text.content.markup == screen.step.body
        await pilot.press("space")                       # the next step keeps the theme's colors
        await pilot.pause()
        assert text.content.code_theme == "ansi_light" and text.content.markup == screen.step.body
