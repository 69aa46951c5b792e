"""Gluing measured values into the book.

Values go in as plain Python numbers and strings: a numpy scalar would be
stored as the text "np.float64(...)", which the book cannot format.
"""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import numpy as np
import torch
from myst_nb import glue as _glue


def glue(key: str, value) -> None:
    """Record `value` under `key` for `{glue:text}` in the book, without displaying it here."""
    if isinstance(value, (np.generic, torch.Tensor)):
        value = value.item()
    if not isinstance(value, (int, float, str)):
        raise TypeError(f"glue {key!r}: expected a number or a string, got {type(value).__name__}")
    _glue(key, value, display=False)


def read_glue(notebook: str | Path) -> dict[str, object]:
    """The values an executed notebook glued, by key (numbers as floats or ints, strings as str)."""
    values = {}
    for cell in nbformat.read(str(notebook), as_version=4).cells:
        for output in cell.get("outputs", []):
            record = output.get("metadata", {}).get("scrapbook")
            if record:
                values[record["name"]] = ast.literal_eval(output["data"][record["mime_prefix"] + "text/plain"])
    return values
