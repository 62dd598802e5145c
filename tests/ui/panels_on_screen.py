"""Which of a lesson step's panels are whole on screen, from the widgets' regions.

A panel is whole when its widget lies inside the scene view's visible area
and needs no scrolling of its own: its title, legend, every row and the axes
are all drawn. Rows count panel by panel.
"""
from __future__ import annotations

from textual.scroll_view import ScrollView
from textual.widget import Widget

from tutor.widgets.scene_view import RowView, SceneView


def leaf_panels(view: SceneView) -> list[Widget]:
    out: list[Widget] = []
    for panel in view.panels():
        out.extend(panel.query_children(".panel") if isinstance(panel, RowView) else [panel])
    return out


def whole(panel: Widget, view: SceneView) -> bool:
    visible = view.scrollable_content_region.intersection(view.screen.region)
    region = panel.region
    if not region or not visible.contains_region(region):
        return False
    if isinstance(panel, ScrollView):
        inner = panel.scrollable_content_region
        return panel.virtual_size.width <= inner.width and panel.virtual_size.height <= inner.height
    return True


def describe(panel: Widget) -> str:
    data = getattr(panel, "grid", None) or getattr(panel, "panel", None)
    return f"{type(data).__name__} {getattr(data, 'title', getattr(data, 'label', ''))!r}"


async def panels_seen(pilot, screen) -> tuple[list[str], set[int]]:
    """(names of the step's panels, indexes of those whole in one of the three views):
    as shown, maximised (z), and maximised paged with pgdn. Leaves the view restored."""
    view = screen.player.view
    names = [describe(p) for p in leaf_panels(view)]
    seen = {i for i, p in enumerate(leaf_panels(view)) if whole(p, view)}
    if len(seen) == len(names):
        return names, seen
    await pilot.press("z")
    await pilot.pause()
    assert screen.maximized is screen.player
    for _ in range(len(names) + 1):
        seen |= {i for i, p in enumerate(leaf_panels(view)) if whole(p, view)}
        if len(seen) == len(names) or view.scroll_y >= view.max_scroll_y:
            break
        await pilot.press("pagedown")
        await pilot.pause()
    await pilot.press("z")
    await pilot.pause()
    screen.set_focus(None)
    return names, seen
