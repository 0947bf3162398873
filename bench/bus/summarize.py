"""Medians per bridge, client and metric from bench/bus/run.sh's results.txt, and Eventide/Vert.x ratios."""
import statistics
import sys
from collections import defaultdict

rows = []
for line in open(sys.argv[1]):
    kv = dict(p.split("=", 1) for p in line.split())
    rows.append(kv)

metrics = {"throughput": ["msgs_per_s", "cpu_us_per_msg"],
           "stall": ["lag_p50_ms", "lag_p99_ms", "lag_p999_ms", "lag_max_ms", "watchdog_reports", "refused"]}
cells = defaultdict(list)
for r in rows:
    for m in metrics.get(r.get("mode"), []):
        try:
            cells[(r["bridge"], r["mode"], m, r["client"])].append(float(r[m]))
        except (KeyError, ValueError):
            pass

print(f"{'bridge':10} {'mode':11} {'metric':16} {'eventide':>12} {'vertx':>12} {'eventide/vertx':>15}  runs")
for bridge in ("rabbitmq", "kafka", "nats"):
    for mode, ms in metrics.items():
        for m in ms:
            e = cells.get((bridge, mode, m, "eventide"), [])
            v = cells.get((bridge, mode, m, "vertx"), [])
            if not e and not v:
                continue
            me = statistics.median(e) if e else None
            mv = statistics.median(v) if v else None
            ratio = f"{me / mv:.2f}" if me is not None and mv else "-"
            fmt = lambda x: "-" if x is None else f"{x:.2f}" if x < 100 else f"{x:.0f}"
            print(f"{bridge:10} {mode:11} {m:16} {fmt(me):>12} {fmt(mv):>12} {ratio:>15}  {len(e)}/{len(v)}")
