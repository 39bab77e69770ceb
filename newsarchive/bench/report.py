"""The Markdown table: one row a page, then what the numbers mean and the problems seen."""

import platform
import subprocess

from core.processes import GUNICORN_CONFIG
from newsarchive.bench import BASE_DIR
from newsarchive.bench.databases import SEED
from newsarchive.bench.wrk import WRK_THREADS


def render_markdown(meta, large, small, cache_off, cache_on, small_off):
    lines = [header_line(meta, large, small), ""]
    lines += [
        "| page | URL | status | queries | HTML KB | req/s (cache off) | p50 / p99 ms "
        "(cache off) | req/s (cache on) | req/s (304) | req/s at "
        f"{small['events']:,} events | ratio |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    small_pages = {page["key"]: page for page in small["pages"]}
    notes = []
    for page in large["pages"]:
        key = page["key"]
        off, on, little = cache_off.get(key), cache_on.get(key), small_off.get(key)
        small_url = small_pages.get(key, {}).get("url")
        lines.append(
            "| "
            + " | ".join(
                [
                    page["name"],
                    f"`{page['url']}`" if page["url"] else "—",
                    status_cell(page, off),
                    cell(page["queries"]),
                    cell(page["bytes"] and page["bytes"] / 1024, "{:,.1f}"),
                    rps_cell(off and off["plain"]),
                    latency_cell(off and off["plain"]),
                    rps_cell(on and on["plain"]),
                    conditional_cell(on),
                    rps_cell(little and little["plain"]) if small_url else "—",
                    ratio_cell(little and little["plain"], off and off["plain"]),
                ]
            )
            + " |"
        )
        notes += page_notes(page, off, on, little)
    lines += ["", *explanations(meta, small)]
    if notes:
        lines += ["", "Problems seen:", "", *notes]
    return "\n".join(lines) + "\n"


def header_line(meta, large, small):
    return (
        f"Benchmark of {meta['date']} — machine: {meta['nproc']} CPUs (nproc), "
        f"{platform.system()} {platform.machine()}, Python {platform.python_version()}, "
        f"load average {meta['load'][0]:.1f} before the wrk runs, {meta['load'][1]:.1f} after; "
        f"database: {large['version']}; archive: {large['events']:,} events, "
        f"{large['actors']:,} actors (seed {SEED}); small archive: {small['events']:,} events, "
        f"{small['actors']:,} actors; gunicorn {meta['workers']} workers "
        f"(config {GUNICORN_CONFIG.name}); wrk -t{min(WRK_THREADS, meta['connections'])} "
        f"-c{meta['connections']} -d{meta['duration']}s --timeout {meta['timeout']}s; "
        f"code: {meta['commit']}."
    )


def explanations(meta, small):
    return [
        "Status, queries and HTML size are measured in-process (Django test client, page "
        "cache off, second request). Cache on: the full-page cache as served by default. "
        "304: requests with If-None-Match set to the page's ETag (n/a when the page sends "
        f"none). Ratio: req/s at {small['events']:,} events ÷ req/s at the full size "
        "(cache off; 2× means the page is half as fast at full size). "
        "⚠ marks responses that were not 2xx/3xx, or socket errors and timeouts.",
    ]


def cell(value, template="{:,}"):
    return "—" if value is None else template.format(value)


def status_cell(page, off):
    status = cell(page["status"], "{}")
    served = off and off["status"]
    if served is not None and str(served) != str(page["status"]):
        status += f" (served {served})"
    return status


def rps_cell(result):
    if result is None:
        return "—"
    if result.error:
        return f"⚠ {result.error}"
    text = f"{result.rps:,.0f}" if result.rps >= 10 else f"{result.rps:,.1f}"
    warnings = []
    if not result.requests:
        warnings.append("no response completed")
    if result.bad_status:
        answered = ", ".join(
            f"{status}" for status in sorted(result.served) if not 200 <= status < 400
        )
        warnings.append(
            f"{result.bad_status:,}/{result.requests:,} non-2xx/3xx"
            + (f" ({answered})" if answered else "")
        )
    if result.timeouts:
        warnings.append(f"{result.timeouts:,} timeouts")
    if result.socket_errors:
        warnings.append(f"{result.socket_errors:,} socket errors")
    return text + (f" ⚠ {', '.join(warnings)}" if warnings else "")


def latency_cell(result):
    if result is None or result.error or result.p50_ms is None or not result.requests:
        return "—"
    return f"{result.p50_ms:,.1f} / {result.p99_ms:,.1f}"


def conditional_cell(on):
    if on is None:
        return "—"
    if not on["etag"]:
        return "n/a"
    text = rps_cell(on["conditional"])
    if on["conditional_status"] != 304:
        text += f" (answers {on['conditional_status']}, not 304)"
    return text


def ratio_cell(small_result, large_result):
    # Error pages, timeouts or empty runs would compare failures, not the page's cost.
    usable = [r for r in (small_result, large_result) if r and not r.failed and r.rps]
    if len(usable) < 2:
        return "—"
    return f"{small_result.rps / large_result.rps:,.1f}×"


def page_notes(page, off, on, little):
    notes = []
    if page["error"] and page["url"]:
        notes.append(f"- {page['name']} `{page['url']}`: {page['error']}")
    elif page["status"] is not None and page["status"] >= 400:
        notes.append(f"- {page['name']} `{page['url']}` answers {page['status']}.")
    runs = [("cache off", off), ("cache on", on), ("small archive, cache off", little)]
    for label, entry in runs:
        for kind in ("plain", "conditional"):
            result = entry and entry[kind]
            if result and result.failed and not as_measured(result, page["status"]):
                run_label = label if kind == "plain" else "If-None-Match"
                notes.append(f"- {page['name']}, {run_label}: {run_problem(result)}")
    return notes


def as_measured(result, status):
    """A run that only got the error page measured in-process (e.g. the article's 404 on a
    synthetic archive) says nothing new: the note above has it already."""
    return (
        not result.error
        and not result.timeouts
        and result.requests > 0
        and set(result.served) == {status}
    )


def run_problem(result):
    if result.error:
        return f"wrk: {result.error}"
    served = ", ".join(f"{count:,} × {status}" for status, count in sorted(result.served.items()))
    text = f"{result.requests:,} responses, {result.bad_status:,} non-2xx/3xx"
    if result.timeouts:
        text += f", {result.timeouts:,} timeouts"
    if served:
        text += f"; server answered {served}"
    if result.server_error:
        text += f"; server logged {result.server_error}"
    return text


def code_version():
    """The commit measured, and whether the working tree differs from it."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=BASE_DIR, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=BASE_DIR,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "unknown"
    if not commit:
        return "unknown"
    return f"{commit}{' + uncommitted changes' if dirty else ''}"
