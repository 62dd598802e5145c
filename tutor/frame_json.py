"""A frame as plain JSON data: what `tutor show SCENE --json` prints.

Every panel becomes an object with a `kind` (the panel type in lower case:
grid, bars, chart, table, lines, progress, row) and its fields under their
own names; a chart's series keep theirs (label, x, y, points). Arrays become
nested lists and every non-finite number (a cell not computed yet, an
overflowing gradient) becomes null, so the output is strict JSON.
"""
from __future__ import annotations

import dataclasses
import json
import math
from typing import Any

import numpy as np


def plain(value: Any) -> Any:
    """Frames, panels, arrays and numbers as JSON-ready dicts, lists, numbers, strings and None."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {"kind": type(value).__name__.lower()}
        out.update({f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)})
        return out
    if isinstance(value, np.ndarray):
        return plain(value.tolist())
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, np.generic):
        return plain(value.item())
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    return value


def frame_document(frame, *, scene: str, title: str, index: int, count: int, params: dict) -> dict:
    """The whole printout: which scene, frame and parameters, then the caption and the panels."""
    return {
        "scene": scene,
        "title": title,
        "frame": index + 1,
        "frames": count,
        "params": plain(params),
        "caption": frame.caption,
        "panels": [plain(p) for p in frame.panels],
    }


def dumps(document: dict) -> str:
    """Strict JSON (NaN and infinities were already turned into null), non-ASCII kept as is."""
    return json.dumps(document, ensure_ascii=False, allow_nan=False, indent=1)
