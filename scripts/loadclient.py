"""A small closed-loop HTTP load client for loopback tests: N clients, T seconds, a URL list.

Each client keeps one connection open and requests URLs from the list in turn until the time
is up. Reports requests per second, latency percentiles, errors and 5xx, overall and per URL
group (the part of each line before a tab, if any). Only loopback addresses are accepted.

With --each, every group is measured on its own, all clients on it for --seconds, so each gets
its own requests per second (the benchmark uses this); --json writes the figures per group,
including the SQL queries per request and the time in the server where it reports them (in
X-Query-Count and Server-Timing headers).
"""

import argparse
import http.client
import json
import re
import statistics
import sys
import threading
import time
from collections import defaultdict
from urllib.parse import urlsplit

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
SERVER_TIMING = re.compile(r"\bdur=([0-9.]+)")


def percentile(values, fraction):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def server_ms(header):
    """The milliseconds of a "Server-Timing: app;dur=12.3" header, or None."""
    match = SERVER_TIMING.search(header or "")
    return float(match.group(1)) if match else None


def read_urls(path):
    """[(group, path)] from lines "group<TAB>/path" or "/path"."""
    urls = []
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line.strip():
            continue
        group, _, url = line.partition("\t") if "\t" in line else (line, "", line)
        urls.append((group, url))
    return urls


def run(base, urls, clients, seconds, max_requests, per_server=None):
    """Rows per group, errors and elapsed seconds; `per_server`, a dict if given, gets
    {server: [requests, failures, page cache hits]} (failures: errors and 5xx)."""
    hosts = [urlsplit(one.strip()) for one in base.split(",")]
    for host in hosts:
        if host.hostname not in LOOPBACK:
            sys.exit(f"refusing to send load to {host.hostname}: loopback only")
    site = hosts[0].netloc
    # group -> [(latency, status, bytes, queries, gzipped, server ms, path)]
    results = defaultdict(list)
    errors = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    budget = [max_requests]

    def count(server, failed, hit=False):
        if per_server is not None:
            tally = per_server.setdefault(server, [0, 0, 0])
            tally[0] += 1
            tally[1] += failed
            tally[2] += hit

    def client(offset):
        host = hosts[offset % len(hosts)]
        connection = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
        i = offset
        while time.monotonic() < deadline:
            with lock:
                if budget[0] <= 0:
                    break
                budget[0] -= 1
            group, path = urls[i % len(urls)]
            i += 1
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Accept-Encoding": "gzip", "Host": site})
                response = connection.getresponse()
                body = response.read()
                elapsed = time.perf_counter() - started
                queries = response.getheader("X-Query-Count")
                gzipped = response.getheader("Content-Encoding") == "gzip"
                with lock:
                    hit = response.getheader("X-Page-Cache") == "hit"
                    count(host.netloc, response.status >= 500, hit)
                    results[group].append(
                        (
                            elapsed,
                            response.status,
                            len(body),
                            int(queries) if queries else None,
                            gzipped,
                            server_ms(response.getheader("Server-Timing")),
                            path,
                        )
                    )
            except (OSError, http.client.HTTPException) as error:
                with lock:
                    count(host.netloc, 1)
                    errors.append(f"{host.netloc}{path}: {error!r}")
                connection.close()
                connection = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
        connection.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors, time.monotonic() - started


def run_each(base, urls, clients, seconds, max_requests, once=False):
    """Each group measured on its own: ({group: rows}, errors, {group: elapsed seconds}). With
    `once`, a group stops when each of its URLs has been requested once."""
    groups = list(dict.fromkeys(group for group, _url in urls))
    results, errors, elapsed = {}, [], {}
    for group in groups:
        own = [item for item in urls if item[0] == group]
        budget = min(max_requests, len(own)) if once else max_requests
        group_results, group_errors, elapsed[group] = run(base, own, clients, seconds, budget)
        results[group] = group_results.get(group, [])
        errors += group_errors
    return results, errors, elapsed


def summary(results, elapsed):
    """{group: figures}; `elapsed` is one run's seconds, or {group: seconds} with --each."""
    figures = {}
    for group, rows in results.items():
        if not rows:
            continue
        ms = [row[0] * 1000 for row in rows]
        seconds = elapsed[group] if isinstance(elapsed, dict) else elapsed
        queries = [row[3] for row in rows if row[3] is not None]
        server = [row[5] for row in rows if row[5] is not None]
        statuses = defaultdict(int)
        for row in rows:
            statuses[row[1]] += 1
        figures[group] = {
            "requests": len(rows),
            "p50_ms": round(statistics.median(ms), 2),
            "p95_ms": round(percentile(ms, 0.95), 2),
            "requests_per_s": round(len(rows) / seconds, 1),
            "bytes": int(statistics.mean(row[2] for row in rows)),
            "queries": round(statistics.mean(queries), 1) if queries else None,
            "max_queries": max(queries) if queries else None,
            "server_p50_ms": round(statistics.median(server), 2) if server else None,
            "server_p95_ms": round(percentile(server, 0.95), 2) if server else None,
            "server_max_ms": round(max(server), 2) if server else None,
            "slowest": [row[6] for row in sorted(rows, key=lambda row: -row[0])[:5]],
            "gzip": all(row[4] for row in rows),
            "statuses": dict(sorted(statuses.items())),
        }
    return figures


def report(results, errors, elapsed, clients):
    everything = [row for rows in results.values() for row in rows]
    latencies = [row[0] * 1000 for row in everything]
    statuses = defaultdict(int)
    for row in everything:
        statuses[row[1]] += 1
    server_errors = sum(n for status, n in statuses.items() if status >= 500)
    lines = [
        f"{'page':<28} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'bytes':>8}",
    ]
    for group, rows in sorted(results.items()):
        if not rows:
            lines.append(f"{group[:28]:<28} {0:>8}   (no response in time)")
            continue
        ms = [row[0] * 1000 for row in rows]
        lines.append(
            f"{group[:28]:<28} {len(rows):>8} {statistics.median(ms):>8.1f} "
            f"{percentile(ms, 0.95):>8.1f} {int(statistics.mean(r[2] for r in rows)):>8}"
        )
    lines.append("")
    lines.append(
        f"{clients} clients, {elapsed:.1f} s: {len(everything)} requests, "
        f"{len(everything) / elapsed:.1f} requests/s, p50 {percentile(latencies, 0.5):.1f} ms, "
        f"p95 {percentile(latencies, 0.95):.1f} ms, errors {len(errors)}, 5xx {server_errors}, "
        f"statuses {dict(sorted(statuses.items()))}"
    )
    return "\n".join(lines), len(errors) + server_errors


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--base", default="http://127.0.0.1:8000", help="server URL, or several, comma-separated"
    )
    parser.add_argument("--urls", required=True, help="file of URL paths, one a line")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--max-requests", type=int, default=1_000_000)
    parser.add_argument("--out", help="also write the report to this file")
    parser.add_argument(
        "--each", action="store_true", help="measure each group on its own for --seconds"
    )
    parser.add_argument("--json", help="also write the figures per group to this JSON file")
    parser.add_argument(
        "--once",
        action="store_true",
        help="request each URL once (per group with --each), then stop; with one client, in order",
    )
    args = parser.parse_args()
    urls = read_urls(args.urls)
    per_server = {}
    if args.each:
        results, errors, elapsed = run_each(
            args.base, urls, args.clients, args.seconds, args.max_requests, once=args.once
        )
    else:
        budget = min(args.max_requests, len(urls)) if args.once else args.max_requests
        results, errors, elapsed = run(
            args.base, urls, args.clients, args.seconds, budget, per_server=per_server
        )
    total = sum(elapsed.values()) if args.each else elapsed
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(
                {
                    "clients": args.clients,
                    "seconds": args.seconds,
                    "errors": errors[:20],
                    "groups": summary(results, elapsed),
                },
                handle,
                indent=2,
            )
    text, failures = report(results, errors, total, args.clients)
    if len(per_server) > 1:
        text += "\n" + "\n".join(
            f"server {server}: {requests} requests, {failed} errors or 5xx, {hits} page cache hits"
            for server, (requests, failed, hits) in sorted(per_server.items())
        )
    print(text)
    for error in errors[:10]:
        print("error:", error)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as handle:
            handle.write(text + "\n")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
