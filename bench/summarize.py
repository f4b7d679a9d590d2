#!/usr/bin/env python3
"""Turns bench/run.sh's results.csv into results.md (medians, spread, ratios to the best peer
in the same run) and gnuplot plots of throughput and p99 latency against client count.

SPDX-License-Identifier: Apache-2.0
"""
import collections
import csv
import statistics
import subprocess
import sys

PEERS = ("libevent", "libuv", "asio")


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

    lines = ["# Echo benchmark", "",
             "Over loopback, one load generator thread (bench/load_generator, every byte checked); medians of each cell's runs "
             "(min–max in brackets). Ratios are to the best of libevent/libuv/Asio at the same client "
             "count, measured in this run. 0 means the server refused the clients (select's limit).", ""]
    for clients in counts:
        best_peer = max(median((p, clients), "messages_per_second") for p in PEERS if (p, clients) in cells)
        lines += [f"## {clients} client{'s' if clients != 1 else ''}", "",
                  "| server | messages/s | vs best peer | p99 us | server CPU us/msg |",
                  "| --- | --- | --- | --- | --- |"]
        for server in servers:
            key = (server, clients)
            if key not in cells:
                continue
            rates = [float(r["messages_per_second"]) for r in cells[key]]
            rate = median(key, "messages_per_second")
            lines.append(f"| {server} | {rate:,.0f} ({min(rates):,.0f}–{max(rates):,.0f}) | "
                         f"{rate / best_peer if best_peer else 0:.2f} | {median(key, 'p99_us'):,.0f} | "
                         f"{median(key, 'server_us_per_message'):.1f} |")
        lines.append("")
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
            lines.append(f"| {server} | {rate:,.1f} ({min(runs):,.1f}–{max(runs):,.1f}) | "
                         f"{rate / best_peer if best_peer else 0:.2f} | {statistics.median(costs):.2f} |")
        lines.append("")
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


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
