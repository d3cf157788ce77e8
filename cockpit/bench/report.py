"""The bench's results: a table for people, a section at a time, and JSON for machines."""

from __future__ import annotations

import json

from cockpit.bench.measure import SECTIONS, Figure, Report

DECIMALS = {"ms": 1, "s": 2, "x": 2, "MB": 0, "MiB": 0, "draws": 0}


def _number(value: float, unit: str) -> str:
    return f"{value:.{DECIMALS.get(unit, 2)}f}"


def _with_unit(text: str, unit: str) -> str:
    return f"{text}x" if unit == "x" else f"{text} {unit}"


def value_text(figure: Figure) -> str:
    if figure.value is None:
        return "-"
    text = _with_unit(_number(figure.value, figure.unit), figure.unit)
    if figure.absolute is not None:  # a ratio: the figure itself beside it
        unit = figure.absolute_unit
        text += f" ({_with_unit(_number(figure.absolute, unit), unit)})"
    return text


def range_text(figure: Figure) -> str:
    if figure.low is None or figure.high is None:
        return ""
    low, high = _number(figure.low, figure.unit), _number(figure.high, figure.unit)
    return _with_unit(f"{low}-{high}", figure.unit)


def budget_text(figure: Figure) -> str:
    if figure.budget is None:
        return "-"
    return "<= " + _with_unit(f"{figure.budget:g}", figure.unit)


def _load(machine: dict) -> str:
    start, end = machine.get("load_at_start"), machine.get("load_at_end")
    if not start:
        return ""
    text = f"; load average {start[0]:.2f} at the start"
    return text + (f", {end[0]:.2f} at the end" if end else "")


def as_table(report: Report) -> str:
    options, book, machine = report.options, report.book, report.machine
    cpus = machine["cpus"]
    if machine.get("usable_cpus") not in (None, cpus):
        cpus = f"{cpus} ({machine['usable_cpus']} usable)"
    lines = []
    if book:
        lines.append(
            f"Book: {book['clients']:,} clients, {book['interactions']:,} touches, "
            f"{book['deals']:,} deals, {book['profiles']:,} profiles partly filled "
            f"({book['profile_values']:,} answers), {book['plans']:,} plans; built in "
            f"{book['build_seconds']:.1f} s"
        )
    if report.server:
        lines.append(
            f"Database: PostgreSQL, {report.server['database']}, in the schema "
            f"{report.server['schema']} made for the bench and dropped at the end"
        )
    lines.append(
        f"Machine: {cpus} CPUs, Python {machine['python']}, {machine['platform']}"
        f"{_load(machine)}; {options.runs} runs per figure (median, min-max)"
        + ("; smoke run: budgets are not enforced" if options.smoke else "")
    )
    lines.append(f"Budgets: the table for {report.table:,} clients")
    header = ("FIGURE", "VALUE", "MIN-MAX", "BUDGET", "VERDICT")
    rows = [
        (f.name, value_text(f), range_text(f), budget_text(f), f.verdict) for f in report.figures
    ]
    widths = [max(len(row[column]) for row in [header, *rows]) for column in range(5)]

    def line(row: tuple[str, ...]) -> str:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=True)]
        return "  ".join(cells).rstrip()

    section = None
    for figure, row in zip(report.figures, rows, strict=True):
        if figure.section != section:
            section = figure.section
            lines += ["", SECTIONS.get(section, section) + ":", line(header)]
        lines.append(line(row))
    lines.append("")
    for figure in report.figures:
        note = figure.detail if figure.value is not None else figure.missing
        if note:
            lines.append(f"{figure.name}: {note}")
    lines.append(f"Took {report.seconds:.0f} s.")
    return "\n".join(lines)


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def as_json(report: Report) -> str:
    figures = []
    for f in report.figures:
        entry = {
            "name": f.name,
            "value": _rounded(f.value),
            "unit": f.unit,
            "budget": f.budget,
            "ok": f.ok,
            "min": _rounded(f.low),
            "max": _rounded(f.high),
            "runs": f.runs,
            "detail": f.detail if f.value is not None else f.missing,
            "section": f.section,
        }
        if f.absolute is not None:
            entry["absolute"] = {"value": _rounded(f.absolute), "unit": f.absolute_unit}
        figures.append(entry)
    document = {
        "figures": figures,
        "book": report.book,
        "database": {"postgresql": report.server} if report.server else "sqlite",
        "machine": report.machine,
        "budget_table": report.table,
        "runs": report.options.runs,
        "smoke": report.options.smoke,
        "seconds": round(report.seconds, 1),
    }
    return json.dumps(document, ensure_ascii=False, indent=2)
