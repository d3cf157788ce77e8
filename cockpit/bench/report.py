"""The bench's results: a table for people, JSON for machines."""

from __future__ import annotations

import json

from cockpit.bench.measure import Figure, Report

DECIMALS = {"ms": 1, "s": 2, "x": 2, "MB": 0}


def _number(value: float, unit: str) -> str:
    return f"{value:.{DECIMALS.get(unit, 2)}f}"


def _with_unit(text: str, unit: str) -> str:
    return f"{text}x" if unit == "x" else f"{text} {unit}"


def value_text(figure: Figure) -> str:
    if figure.value is None:
        return "-"
    return _with_unit(_number(figure.value, figure.unit), figure.unit)


def range_text(figure: Figure) -> str:
    if figure.low is None or figure.high is None:
        return ""
    low, high = _number(figure.low, figure.unit), _number(figure.high, figure.unit)
    return _with_unit(f"{low}-{high}", figure.unit)


def budget_text(figure: Figure) -> str:
    return "<= " + _with_unit(f"{figure.budget:g}", figure.unit)


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
        f"Machine: {cpus} CPUs, Python {machine['python']}, {machine['platform']}; "
        f"{options.runs} runs per figure (median, min-max)"
        + ("; smoke run: budgets are not enforced" if options.smoke else "")
    )
    lines.append("")
    rows = [("FIGURE", "VALUE", "MIN-MAX", "BUDGET", "VERDICT")] + [
        (f.name, value_text(f), range_text(f), budget_text(f), f.verdict) for f in report.figures
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(5)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=True)]
        lines.append("  ".join(cells).rstrip())
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
        }
        figures.append(entry)
    document = {
        "figures": figures,
        "book": report.book,
        "database": {"postgresql": report.server} if report.server else "sqlite",
        "machine": report.machine,
        "runs": report.options.runs,
        "smoke": report.options.smoke,
        "seconds": round(report.seconds, 1),
    }
    return json.dumps(document, ensure_ascii=False, indent=2)
