"""Quiz settings from the app: s on the course map, changed with keys or typed, saved at once."""
from __future__ import annotations

import pytest

from textual.widgets import Input

from tutor import srs
from tutor.quiz.days import interval
from tutor.quiz.settings import QuizSettings
from tutor.screens.home import HomeScreen
from tutor.screens.settings import SETTINGS, SettingsScreen
from tutor.store import Store


def shown(app) -> str:
    return "\n".join(str(w.render()) for w in app.screen.query("Static"))


async def open_settings(pilot) -> SettingsScreen:
    await pilot.pause()
    pilot.app.action_settings()
    await pilot.pause()
    assert isinstance(pilot.app.screen, SettingsScreen)
    return pilot.app.screen


async def test_keys_change_the_settings_and_they_are_saved_at_once(make_app, tmp_path):
    path = tmp_path / "settings.sqlite3"
    app = make_app(store_path=path)
    async with app.run_test(size=(100, 34)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        assert "New cards per day: 20" in shown(app) and "Desired retention: 0.90" in shown(app)
        await pilot.press("]", "]")                       # 20 -> 30 -> 40
        assert QuizSettings.load(app.store).new_per_day == 40
        assert "up to 40 cards" in shown(app)
        await pilot.press("down", "[", "[", "[")          # retention 0.90 -> 0.87
        assert QuizSettings.load(app.store).retention == 0.87
        gaps = ", ".join(interval(g) for g in srs.gaps_when_recalled(0.87, 5))
        assert f"comes back after {gaps}" in " ".join(shown(app).split())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    app.store.close()
    again = Store.open(path)
    assert QuizSettings.load(again) == QuizSettings(new_per_day=40, retention=0.87)
    again.close()


async def test_a_typed_value_is_checked_and_a_bad_one_is_refused_with_its_reason(make_app):
    app = make_app()
    async with app.run_test(size=(100, 34)) as pilot:
        await open_settings(pilot)
        await pilot.press("down", "e")
        await pilot.pause()
        field = app.screen.query_one(Input)
        field.value = "[b]1.5"
        await pilot.press("enter")
        await pilot.pause()
        assert "desired retention: expected a number, got '[b]1.5'" in shown(app)
        field.value = "0.97"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        assert QuizSettings.load(app.store).retention == 0.97 and "Desired retention: 0.97" in shown(app)


async def test_values_stop_at_their_limits(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_settings(pilot)
        await pilot.press(*["["] * 20)
        assert QuizSettings.load(app.store).new_per_day == 0
        assert "No new cards" in shown(app)
        await pilot.press("down", *["]"] * 40)
        assert QuizSettings.load(app.store).retention == 0.99


def test_steps_reach_a_value_typed_between_them():
    new = SETTINGS[0]
    assert new.stepped(23, 1) == 30 and new.stepped(23, -1) == 20
    assert new.stepped(1000, 1) == 1000 and new.stepped(0, -1) == 0


def test_every_step_is_a_value_the_parser_accepts_and_the_ends_are_its_limits():
    for setting in SETTINGS:
        assert list(setting.steps) == sorted(set(setting.steps))
        assert all(setting.parse(setting.show(step)) == step for step in setting.steps)
        low, high = setting.steps[0], setting.steps[-1]
        for beyond in (low - 1 if isinstance(low, int) else round(low - 0.01, 2),
                       high + 1 if isinstance(high, int) else round(high + 0.01, 2)):
            with pytest.raises(ValueError):
                setting.parse(setting.show(beyond))


def test_higher_retention_brings_cards_back_sooner():
    low, high = (srs.gaps_when_recalled(r, 5) for r in (0.8, 0.95))
    assert all(h <= lo for h, lo in zip(high, low)) and high[-1] < low[-1]


async def test_the_palette_opens_the_settings(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.press(*"retention")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)


def test_the_readme_states_the_waits_fsrs_gives():
    from pathlib import Path

    readme = " ".join((Path(__file__).parents[2] / "README.md").read_text().split())
    at_90 = ", ".join(interval(g) for g in srs.gaps_when_recalled(0.90, 5)).replace(" mo", " months")
    assert f"at 0.90, a new card recalled every time comes back after {at_90}" in readme
    at_95 = [interval(g) for g in srs.gaps_when_recalled(0.95, 5)]
    assert at_95 == ["10 min", "1 day", "3 days", "8 days", "19 days"]
    assert "at 0.95 after 10 min, 1, 3, 8 and 19 days" in readme
