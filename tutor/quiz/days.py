"""Clock helpers: now in UTC, and the learner's day boundaries as UTC instants.

Card times are stored in UTC; "due today" means due before the learner's
next local midnight, so a card scheduled for this evening counts this morning.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone, tzinfo


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def day_start(now: datetime, tz: tzinfo | None = None) -> datetime:
    """The start of `now`'s day in `tz` (the system's zone if None), as UTC."""
    local = now.astimezone(tz)
    return local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(timezone.utc)


def next_day_start(now: datetime, tz: tzinfo | None = None) -> datetime:
    """The next local midnight after `now`, as UTC: cards due before it are due today."""
    local = now.astimezone(tz)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    return midnight.astimezone(timezone.utc)


def describe_due(due: datetime, now: datetime, tz: tzinfo | None = None) -> str:
    """'now', 'today at 18:05', 'tomorrow at 09:00', 'Mon 12 May' (local time)."""
    if due <= now:
        return "now"
    local, today = due.astimezone(tz), now.astimezone(tz).date()
    days = (local.date() - today).days
    if days == 0:
        minutes = int((due - now).total_seconds() // 60)
        return f"in {max(minutes, 1)} min" if minutes < 60 else f"today at {local:%H:%M}"
    if days == 1:
        return f"tomorrow at {local:%H:%M}"
    return f"{local:%a %d %b} (in {days} days)"


def interval(delta: timedelta) -> str:
    """A time until the next review, short: '1 min', '5 h', '12 days', '3 mo'."""
    minutes = max(delta.total_seconds() / 60, 0)
    if minutes < 60:
        return f"{max(round(minutes), 1)} min"
    if minutes < 60 * 24:
        return f"{round(minutes / 60)} h"
    days = minutes / (60 * 24)
    if days < 60:
        return f"{round(days)} day{'s' if round(days) != 1 else ''}"
    if days < 365:
        return f"{round(days / 30)} mo"
    return f"{days / 365:.1f} y"
