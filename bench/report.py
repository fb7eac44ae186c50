"""The benchmark's figures and the Markdown it prints: issue 14's targets table, then every tool's figures."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass, field

from bench.measure import Timing
from bench.tools import FLOOR_NAME, US

MB = 1024 * 1024
TOOLS = (FLOOR_NAME, US, "MkDocs", "Pelican", "Hugo")


@dataclass
class Figures:
    pages: int
    big_pages: int
    rounds: list[dict[str, Timing | None]] = field(default_factory=list)  # each round's timings by name
    missing: dict[str, str] = field(default_factory=dict)
    preview: list[float] = field(default_factory=list)  # to the first frame painted with the change
    preview_waited: list[float] = field(default_factory=list)  # to the end of Playwright's wait for it
    preview_error: str = ""
    big_cold: Timing | None = None
    cache_bytes: int = 0
    site_bytes: int = 0
    versions: str = ""
    load_before: str = ""
    load_after: str = ""
    minutes: float = 0.0
    command: str = ""

    def ratios(self, name: str, of: Callable[[Timing], float]) -> list[float]:
        """`name`'s figure ÷ the floor's, round by round."""
        return [
            of(timings[name]) / of(timings[FLOOR_NAME])
            for timings in self.rounds
            if timings.get(name) is not None and timings.get(FLOOR_NAME) is not None
        ]

    def values(self, name: str, of: Callable[[Timing], float]) -> list[float]:
        return [of(timings[name]) for timings in self.rounds if timings.get(name) is not None]


def wall(timing: Timing) -> float:
    return timing.wall


def cpu(timing: Timing) -> float:
    return timing.cpu


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def ratio_cell(values: list[float]) -> str:
    middle = median(values)
    if middle is None:
        return "not measured"
    return f"**{middle:.2f}** (rounds: {', '.join(f'{value:.2f}' for value in values)})"


def met(value: float | None, limit: float) -> str:
    if value is None:
        return "–"
    return "yes" if value <= limit else "no"


def targets(figures: Figures) -> list[str]:
    cold_wall = figures.ratios(US, wall)
    cold_cpu = figures.ratios(US, cpu)
    edit = figures.ratios("one edit", wall)
    unchanged = figures.ratios("unchanged", wall)
    preview = median(figures.preview)
    saves = ", ".join(f"{value * 1000:.0f}" for value in figures.preview)
    waited = median(figures.preview_waited)
    preview_cell = (
        f"**{preview * 1000:.0f} ms** to the first frame painted with it (saves: {saves}); "
        f"{(waited or 0) * 1000:.0f} ms to the end of Playwright's wait for the text"
        if preview is not None
        else f"not measured: {figures.preview_error}"
        if figures.preview_error
        else "not measured"
    )
    big = figures.big_cold
    site_mb, cache_mb = figures.site_bytes / MB, figures.cache_bytes / MB
    cache_times = figures.cache_bytes / figures.site_bytes if figures.site_bytes else None
    rows = [
        (
            "cold build, wall ÷ floor",
            "0.79 quiet, 1.51 loaded",
            "≤ 0.65",
            ratio_cell(cold_wall),
            met(median(cold_wall), 0.65),
        ),
        ("cold build, CPU ÷ floor", "1.36–1.51", "≤ 1.20", ratio_cell(cold_cpu), met(median(cold_cpu), 1.20)),
        (
            "`build.py` after editing one page (cache warm), wall ÷ floor",
            "0.38",
            "≤ 0.05",
            ratio_cell(edit),
            met(median(edit), 0.05),
        ),
        (
            "nothing changed, wall ÷ floor",
            "0.02",
            "≤ 0.03",
            ratio_cell(unchanged),
            met(median(unchanged), 0.03),
        ),
        (
            "preview: save to the change visible in Chromium",
            "0.36 s",
            "≤ 150 ms",
            preview_cell,
            met(preview, 0.150),
        ),
        (
            f"peak memory at {figures.big_pages:,} pages",
            "568 MB",
            "≤ 200 MB",
            f"**{big.peak_mb:.0f} MB** (VmHWM, largest process)" if big else "not measured",
            met(big.peak_mb if big else None, 200),
        ),
        (
            f"cache size at {figures.big_pages:,} pages",
            "185 MB",
            "≤ 2× the built site",
            f"**{cache_mb:.1f} MB** = {cache_times:.2f}× the site ({site_mb:.1f} MB)"
            if cache_times
            else "not measured",
            met(cache_times, 2.0),
        ),
    ]
    lines = ["| measure | now | target | this run | met |", "|---|---|---|---|---|"]
    lines += [f"| {' | '.join(row)} |" for row in rows]
    return lines


def tool_table(figures: Figures) -> list[str]:
    lines = [
        f"| {figures.pages:,} pages, cold | wall (median) | CPU (median) | wall ÷ floor | CPU ÷ floor "
        "| peak memory |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    names = [*TOOLS[:2], "unchanged", "one edit", *TOOLS[2:]]
    labels = {US: "us (`build.py`)", "unchanged": "us, nothing changed", "one edit": "us, one page edited"}
    for name in names:
        label = labels.get(name, name)
        if name in figures.missing:
            lines.append(f"| {label} | {figures.missing[name]} | | | | |")
            continue
        walls, cpus = figures.values(name, wall), figures.values(name, cpu)
        if not walls:
            continue
        peaks = figures.values(name, lambda timing: timing.peak_mb)
        wall_ratio, cpu_ratio = median(figures.ratios(name, wall)), median(figures.ratios(name, cpu))
        lines.append(
            f"| {label} | {median(walls):.2f} s | {median(cpus):.2f} s | {wall_ratio:.2f} "
            f"| {cpu_ratio:.2f} | {max(peaks):.0f} MB |"
        )
    return lines


def render(figures: Figures) -> str:
    big = figures.big_cold
    notes = [
        "",
        f"Corpus: `make_corpus.py {figures.pages}` (and {figures.big_pages:,} for memory and cache), "
        "converted by bench/corpus.py: bodies unchanged but for link targets (`slug.html` → `slug.md`, "
        "`../topic-NNNN/slug.md`); validation, link checks and the readability gate on.",
        f"{len(figures.rounds)} paired rounds, order rotating, each run a fresh cold process; ratios are "
        "to the same round's floor, medians quoted. CPU: user + sys of the process and its waited-for "
        "children (os.wait4). Peak memory: the largest VmHWM of any process of the command, polled from "
        "/proc every 20 ms.",
    ]
    if big:
        notes.append(
            f"{figures.big_pages:,} pages, cold build: wall {big.wall:.1f} s, CPU {big.cpu:.1f} s, "
            f"peak {big.peak_mb:.0f} MB (ru_maxrss {big.maxrss_mb:.0f} MB, {big.processes} processes)."
        )
    notes += [
        f"Versions: {figures.versions}. Machine: {figures.load_before} before, {figures.load_after} after.",
        f"The run took {figures.minutes:.1f} minutes.",
        "",
        f"Command: `{figures.command}`",
    ]
    return "\n".join([*targets(figures), "", *tool_table(figures), *notes])
