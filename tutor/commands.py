"""The command palette (ctrl+p): lessons, steps by title, scenes and actions.

`palette_entries` lists what can be found, as plain data; the provider
matches the learner's query against each entry's text and runs the chosen
one through the app. Everything shown is built with Content (never markup),
so a query or a title holding `[/]` is displayed literally.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from textual import on
from textual.command import CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import FuzzySearch
from textual.message import Message
from textual.widgets import Button, Input, OptionList

from tutor.course import Course
from tutor.scenes.registry import SCENES

# Ties go to lessons and actions, then steps, then scenes: typing part of a
# lesson's title finds the lesson before the steps that share its words.
WEIGHTS = {"action": 1.0, "lesson": 1.0, "step": 0.92, "scene": 0.88}
MATCH_STYLE = "bold underline"


@dataclass(frozen=True)
class Entry:
    kind: str                  # action | lesson | step | scene
    text: str                  # what is matched and shown
    help: str                  # the line under it
    action: str = ""           # for kind == action: an app action name
    lesson: str = ""           # a lesson id (lesson, step, scene)
    step: int | None = None    # 0-based step index (step, scene)


ACTIONS = (
    Entry("action", "Home: the course map", "Leave the current lesson or quiz", action="home"),
    Entry("action", "Quiz: review the cards due", "Due cards first, then new ones", action="quiz"),
    Entry("action", "Help: keys of this screen", "Every key of the current screen, with what it does",
          action="help"),
    Entry("action", "Settings: new cards per day, desired retention", "How many new cards a day, and how "
          "often cards come back", action="settings"),
    Entry("action", "Theme: switch dark / light", "Remembered for next time; grids keep color-blind-safe "
          "palettes", action="toggle_theme"),
)


def palette_entries(course: Course) -> list[Entry]:
    """Every action, lesson and step; each scene once, at the first step that shows it."""
    entries = list(ACTIONS)
    scenes: dict[str, Entry] = {}
    for lesson in course.lessons:
        entries.append(Entry("lesson", f"Open lesson: {lesson.order} · {lesson.title}",
                             f"{lesson.summary} ({len(lesson.steps)} steps, {lesson.minutes} min)",
                             lesson=lesson.id))
        for i, step in enumerate(lesson.steps):
            entries.append(Entry("step", f"Lesson {lesson.order} · step {i + 1}: {step.title}",
                                 lesson.title, lesson=lesson.id, step=i))
            if step.scene is not None and step.scene.id not in scenes and step.scene.id in SCENES:
                spec = SCENES[step.scene.id]
                scenes[spec.id] = Entry("scene", f"Scene: {spec.title}",
                                        f"{spec.description} (lesson {lesson.order}, step {i + 1})",
                                        lesson=lesson.id, step=i)
    return entries + list(scenes.values())


def rank(query: str, entry: Entry, fuzzy_score: float) -> float:
    """Entries holding every typed word come before scattered-letter matches."""
    text = entry.text.casefold()
    whole = all(word in text for word in query.casefold().split())
    return WEIGHTS[entry.kind] * (0.5 + 0.5 * fuzzy_score if whole else 0.5 * fuzzy_score)


def highlight(text: str, offsets) -> Content:
    content = Content(text)
    for offset in offsets:
        if not text[offset].isspace():
            content = content.stylize(MATCH_STYLE, offset, offset + 1)
    return content


class TutorCommands(Provider):
    """Lessons, steps, scenes and actions of the tutor."""

    async def startup(self) -> None:
        self.entries = palette_entries(self.app.course)

    async def discover(self) -> Hits:
        for entry in self.entries:
            if entry.kind in ("action", "lesson"):
                yield DiscoveryHit(Content(entry.text), partial(self.run, entry), text=entry.text,
                                   help=Content(entry.help))

    async def search(self, query: str) -> Hits:
        fuzzy = FuzzySearch()
        for entry in self.entries:
            score, offsets = fuzzy.match(query, entry.text)
            if score > 0:
                yield Hit(rank(query, entry, score), highlight(entry.text, offsets),
                          partial(self.run, entry), text=entry.text, help=Content(entry.help))

    async def run(self, entry: Entry) -> None:
        app = self.app
        if entry.kind == "action":
            await app.run_action(entry.action)
            return
        lesson = app.course.find(entry.lesson)
        if lesson is not None:
            app.open_lesson(lesson, entry.step)


class TutorPalette(CommandPalette):
    """Textual's palette, with paging that cannot crash.

    Textual 8.2.8's CommandList pages through lines it has not laid out yet
    and raises KeyError when pageup/pagedown come right after ctrl+p (key
    repeat, a paste, a slow link batching keys). Such a key does nothing here.

    Enter twice in one burst selects twice: both selections are queued before
    the first closes the palette, and Textual's `dismiss` pops whatever screen
    is on top, so the second closed the screen below (the course map itself,
    leaving a blank app). A selection that arrives once the palette is no
    longer on top is dropped here, before Textual's handlers see it; so is a
    change to its query typed in the same burst, which started a search that
    then looked for the palette's removed list (NoMatches, the app stopped).
    """

    @on(OptionList.OptionSelected)
    @on(Input.Submitted)
    @on(Input.Changed)
    @on(Button.Pressed)
    def _drop_if_closed(self, event: Message) -> None:
        if not self.is_active:
            event.stop()
            event.prevent_default()   # the base class's handlers are not called

    def _action_command_list(self, action: str) -> None:
        # Textual's pageup/pagedown bindings page the list through here.
        try:
            super()._action_command_list(action)
        except KeyError:
            pass  # not laid out yet: the next pageup/pagedown works
