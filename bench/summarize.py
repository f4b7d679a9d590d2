#!/usr/bin/env python3
"""Turns bench/run.sh's results.csv into results.md (medians, spread, ratios to the best peer
in the same run) and gnuplot plots of throughput and p99 latency against client count; with
--lwip, prints the lwIP section from results-lwip.csv.

SPDX-License-Identifier: Apache-2.0
"""
import collections
import csv
import statistics
import subprocess
import sys

PEERS = ("libevent", "libuv", "asio")
CPU_PEERS = ("libuv", "asio")  # the targets' references for CPU per message
THREADED = "thread per client"  # the floor for a blocking API
MAIN_JOB = "tcpserver msh sample epoll"
LWIP_REFERENCE = "lwip by hand"
CALLBACK = "tcpserver callback epoll"
BLOCKING = ("tcpserver blocking epoll", "tcpserver blocking C rt_thread epoll")


def main(csv_path, out_dir):
    cells = collections.defaultdict(list)  # ping-pong, by (server, clients)
    others = collections.defaultdict(list)  # bulk and connect, by (server, mode)
    servers, counts = [], []
    with open(csv_path) as f:
        for row in csv.DictReader(f):
            row["messages_per_second"], row["server_us_per_message"] = row["value"], row["server_cost"]
            if row["server"] not in servers:
                servers.append(row["server"])
            if row["mode"] != "pingpong":
                others[(row["server"], row["mode"])].append(row)
                continue
            cells[(row["server"], int(row["clients"]))].append(row)
            if int(row["clients"]) not in counts:
                counts.append(int(row["clients"]))

    def median(key, field):
        values = [float(r[field]) for r in cells[key]]
        return statistics.median(values) if values else 0.0

    def best(names, clients, field, pick):
        values = [median((p, clients), field) for p in names if (p, clients) in cells]
        values = [v for v in values if v > 0]
        return pick(values) if values else 0.0

    def ratio(value, reference):
        return value / reference if reference else 0.0

    lines = ["# Echo benchmark", "",
             "Over loopback, the server on one core and the load generator (bench/load_generator, one thread, "
             "every byte checked) on the other; medians of each cell's runs (min–max in brackets). Ratios are "
             "to the best of libevent/libuv/Asio at the same client count, measured in this run: messages/s "
             "(higher is better), p99 and server CPU per message (lower is better); the blocking servers are "
             "also compared with the thread-per-client server. 0 means the server refused the clients "
             "(select's limit).", ""]
    for clients in counts:
        best_rate = best(PEERS, clients, "messages_per_second", max)
        best_p99 = best(PEERS, clients, "p99_us", min)
        best_cpu = best(PEERS, clients, "server_us_per_message", min)
        threaded_cpu = median((THREADED, clients), "server_us_per_message")
        lines += [f"## {clients} client{'s' if clients != 1 else ''}", "",
                  "| server | messages/s | vs best peer | p99 us | vs best peer | server CPU us/msg | "
                  "vs best peer | vs thread per client |",
                  "| --- | --- | --- | --- | --- | --- | --- | --- |"]
        for server in servers:
            key = (server, clients)
            if key not in cells:
                continue
            rates = [float(r["messages_per_second"]) for r in cells[key]]
            rate, p99, cpu = (median(key, field) for field in
                              ("messages_per_second", "p99_us", "server_us_per_message"))
            lines.append(f"| {server} | {rate:,.0f} ({min(rates):,.0f}–{max(rates):,.0f}) | "
                         f"{ratio(rate, best_rate):.2f} | {p99:,.0f} | {ratio(p99, best_p99):.2f} | "
                         f"{cpu:.1f} | {ratio(cpu, best_cpu):.2f} | {ratio(cpu, threaded_cpu):.2f} |")
        lines.append("")
    bulk_rate = {}
    for mode, title, unit, cost in (("bulk", "10 clients streaming 16 KiB writes", "MB/s", "server CPU s per GB"),
                                    ("connect", "connect, echo 64 bytes, close", "connections/s",
                                     "server CPU us per connection")):
        values = {server: [float(r["value"]) for r in others[(server, mode)]] for server in servers
                  if (server, mode) in others}
        best_peer = max((statistics.median(values[p]) for p in PEERS if p in values), default=0)
        lines += [f"## {title}", "", f"| server | {unit} | vs best peer | {cost} |", "| --- | --- | --- | --- |"]
        for server, runs in values.items():
            rate = statistics.median(runs)
            costs = [float(r["server_cost"]) for r in others[(server, mode)]]
            if mode == "bulk":
                bulk_rate[server] = ratio(rate, best_peer)
            lines.append(f"| {server} | {rate:,.1f} ({min(runs):,.1f}–{max(runs):,.1f}) | "
                         f"{ratio(rate, best_peer):.2f} | {statistics.median(costs):.2f} |")
        lines.append("")

    # The targets, each a ratio measured in this run.
    targets = []

    def target(text, value, goal, higher_is_better=False):
        if value <= 0:
            targets.append(f"- {text}: not measured")
            return
        met = value >= goal if higher_is_better else value <= goal
        targets.append(f"- {text}: {value:.2f} ({'met' if met else 'not met'}, goal "
                       f"{'≥' if higher_is_better else '≤'} {goal})")

    def cpu_ratio(server, clients, references):
        return ratio(median((server, clients), "server_us_per_message"),
                     best(references, clients, "server_us_per_message", min))

    target("msh sample echo, bulk vs best peer", bulk_rate.get(MAIN_JOB, 0), 0.9, True)
    for clients in (100, 1000):
        target(f"msh sample echo, CPU per message vs best peer, {clients} clients",
               cpu_ratio(MAIN_JOB, clients, PEERS), 1.05)
    for clients in (100, 1000, 10000):
        target(f"callback echo, CPU per message vs best of libuv/Asio, {clients} clients",
               cpu_ratio(CALLBACK, clients, CPU_PEERS), 1.05)
        target(f"callback echo, p99 vs best peer, {clients} clients",
               ratio(median((CALLBACK, clients), "p99_us"), best(PEERS, clients, "p99_us", min)), 1.1)
    for server in BLOCKING:
        for clients in (100, 1000):
            target(f"{server}, CPU per message vs thread per client, {clients} clients",
                   cpu_ratio(server, clients, (THREADED,)), 1.2)
        target(f"{server}, messages/s vs thread per client, 10000 clients",
               ratio(median((server, 10000), "messages_per_second"),
                     median((THREADED, 10000), "messages_per_second")), 0.9, True)
    lines += ["## Targets", ""] + targets + [""]
    with open(f"{out_dir}/results.md", "w") as f:
        f.write("\n".join(lines))

    data = f"{out_dir}/plot.dat"
    with open(data, "w") as f:
        for server in servers:
            f.write(f'"{server}"\n')
            for clients in counts:
                if (server, clients) in cells:
                    f.write(f"{clients} {median((server, clients), 'messages_per_second')} "
                            f"{median((server, clients), 'p99_us')}\n")
            f.write("\n\n")
    for name, column, title, scale in (("throughput", 2, "messages/s", "x"),
                                       ("latency_p99", 3, "p99 round trip (us)", "xy")):
        script = (f'set terminal png size 900,550; set output "{out_dir}/{name}.png"; set logscale {scale}; '
                  f'set xlabel "clients"; set ylabel "{title}"; set key outside; set grid; '
                  f'plot for [i=0:{len(servers) - 1}] "{data}" index i using 1:{column} with linespoints '
                  f'title columnheader(1)')
        subprocess.run(["gnuplot", "-e", script], check=True)


def lwip_section(csv_path):
    """Each server's median per cell, and its ratio to the hand-written lwIP echo."""
    runs = collections.defaultdict(list)  # by (cell, server): (value, server cost)
    servers, cell_order = [], []
    with open(csv_path) as f:
        for row in csv.DictReader(f):
            cell = (row["mode"], row["clients"])
            runs[(cell, row["server"])].append((float(row["value"]), float(row["server_cost"])))
            if row["server"] not in servers:
                servers.append(row["server"])
            if cell not in cell_order:
                cell_order.append(cell)
    units = {"pingpong": ("messages/s", "server us/message"), "bulk": ("MB/s", "server s/GB")}
    lines = ["", "## lwIP through a TAP device", "",
             f"Medians of the runs; ratios to \"{LWIP_REFERENCE}\" (lwIP's sockets, nothing of ours) "
             "measured in turn with it.", "",
             "| cell | server | value | vs lwIP by hand | server cost | vs lwIP by hand |",
             "| --- | --- | --- | --- | --- | --- |"]
    for cell in cell_order:
        value_unit, cost_unit = units.get(cell[0], ("value", "cost"))
        reference = runs.get((cell, LWIP_REFERENCE), [(0.0, 0.0)])
        ref_value = statistics.median(v for v, _ in reference)
        ref_cost = statistics.median(c for _, c in reference)
        for server in servers:
            measured = runs.get((cell, server))
            if not measured:
                continue
            value = statistics.median(v for v, _ in measured)
            cost = statistics.median(c for _, c in measured)
            lines.append(f"| {cell[0]}, {cell[1]} clients | {server} | {value:,.1f} {value_unit} | "
                         f"{value / ref_value if ref_value else 0:.2f} | {cost:.2f} {cost_unit} | "
                         f"{cost / ref_cost if ref_cost else 0:.2f} |")
    print("\n".join(lines))


if __name__ == "__main__":
    if sys.argv[1] == "--lwip":
        lwip_section(sys.argv[2])
    else:
        main(sys.argv[1], sys.argv[2])
