"""Gluing measured values into the book.

Values go in as plain Python numbers and strings: a numpy scalar would be
stored as the text "np.float64(...)", which the book cannot format.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
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


def key(name: str) -> str:
    """A design's name as a glue key: "3 D steps at equal G steps" -> "3_d_steps_at_equal_g_steps"."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def read_glue(notebook: str | Path) -> dict[str, object]:
    """The values an executed notebook glued, by key (numbers as floats or ints, strings as str, and the
    MyST text of `glue_markdown`)."""
    values = {}
    for cell in nbformat.read(str(notebook), as_version=4).cells:
        for output in cell.get("outputs", []):
            record = output.get("metadata", {}).get("scrapbook")
            if record:
                data = {mime.removeprefix(record["mime_prefix"]): value for mime, value in output["data"].items()}
                values[record["name"]] = data["text/markdown"] if "text/markdown" in data else \
                    ast.literal_eval(data["text/plain"])
    return values


# What each papermill parameter accepts, for the re-run box at the top of every chapter.
PARAMETER_VALUES = {
    "profile": '`"report"` (the budget behind the book) or `"smoke"` (a tiny budget, for the tests)',
    "seeds": "a positive integer: seeds per compared design (the spread behind every verdict)",
    "progress": "`True` or `False`: progress bars while training",
    "publish": '`"auto"` (only at the report profile), `True` or `False`: write `models/` and `book/figures/`',
    "scheduler": '`None` (`GANUTILS_SCHEDULER`, else `"local"`), `"local"`, `"in-process"` or `"tcp://host:8786"`',
}
BENCH = Path(__file__).resolve().parent.parent / "bench"


def chapter_times(path: Path) -> tuple[str, dict[str, float]]:
    """(first line, seconds by chapter) of a `bench/time_report.sh` output; ("", {}) where there is none."""
    if not path.exists():
        return "", {}
    lines = path.read_text().splitlines()
    times = {m[1]: float(m[2]) for m in (re.match(r"chapter (\w+): ([\d.]+) s", line) for line in lines) if m}
    return (lines[0] if lines else ""), times


def rerun_box(chapter: str, seeds: int, runs: Iterable, bench: Path = BENCH) -> str:
    """MyST for the "Re-run this chapter" box: the command, the parameters and what they accept, what the
    chapter trains (`runs`: every GAN and classifier run it used, each with the training `seconds` it
    recorded) and the re-execution times that `make time-report` and `make time-warm` measured."""
    runs = list({id(run): run for run in runs}.values())
    gans = sum(1 for run in runs if hasattr(run, "generator_package"))
    training = sum(run.seconds for run in runs)
    lines = [":::{admonition} Re-run this chapter", ":class: tip dropdown", "",
             "From the repository root, after `make setup`:", "",
             f"```\n.venv/bin/papermill notebooks/{chapter}.ipynb out.ipynb -p profile report -p seeds {seeds}"
             f" --cwd notebooks\n```", "",
             "Parameters (`-p NAME VALUE`):", ""]
    lines += [f"- `{name}`: {values}" for name, values in PARAMETER_VALUES.items()]
    lines += ["", f"At the report profile it uses {gans} GAN run(s) and {len(runs) - gans} classifier run(s), "
              f"{training / 60:.1f} min of training as recorded by the runs themselves; finished runs and "
              "evaluations are reused from the run cache (`GANUTILS_RUNS`), so only what is missing is trained.", ""]
    machines = sorted({_describe((getattr(run, "generator_package", None) or run.package).get("machine"))
                       for run in runs})
    lines += [f"Its runs were trained on: {'; '.join(machines)}.", ""]
    for name, what in (("time_report.md", "from an empty run cache"), ("time_warm.md", "with everything cached")):
        header, times = chapter_times(bench / name)
        if chapter in times:
            lines.append(f"- Re-executed {what}: {times[chapter]:.0f} s (`bench/{name}`: {header.strip()}).")
        else:
            lines.append(f"- Re-executed {what}: not measured yet (`make {'time-report' if 'report' in name else 'time-warm'}`).")
    lines.append(":::")
    return "\n".join(lines)


def _describe(machine: dict | None) -> str:
    """One line for a run's recorded machine (ganutils.device.describe_machine)."""
    if not machine:
        return "a machine it did not record"
    return ", ".join(f"{key} {value}" for key, value in machine.items())


def glue_markdown(key: str, text: str) -> None:
    """Record MyST `text` under `key` for a `{glue:md}` directive (with `:format: myst`)."""
    from IPython.display import Markdown

    _glue(key, Markdown(text), display=False)
