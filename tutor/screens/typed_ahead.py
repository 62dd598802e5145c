"""Screens that keys may reach before they are built, or after they are closed.

Keys typed ahead (a burst, a paste, a slow link batching input) reach a
screen's bindings as soon as it is pushed, before it has composed its
widgets; and a key that closes a screen can arrive before it mounts. Either
way a handler that queries the screen's widgets raised NoMatches and stopped
the app (tests/reliability/test_key_fuzz.py). A screen with this mixin calls
`begin()` first in its on_mount and answers no key until then.
"""
from __future__ import annotations


class TypedAhead:
    built = False   # composed and mounted: from here on its keys act

    @property
    def closed(self) -> bool:
        """Popped already (keys typed ahead can close a screen before it mounts)."""
        return self not in self.app.screen_stack

    def begin(self) -> bool:
        """In on_mount: mark the screen built and show its keys; False if it was closed meanwhile."""
        if self.closed:
            return False
        self.built = True
        self.refresh_bindings()   # the key bar asked check_action before the screen was built
        return True

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.built
