#!/usr/bin/env python3
"""generate.py - writes the traces shipped in scenarios/traces/ (see README.md there).

    python3 scenarios/traces/generate.py            # rewrites them next to this script
    python3 scenarios/traces/generate.py --out DIR  # writes them into DIR instead
    python3 scenarios/traces/generate.py --check    # exit 1 if a file here differs from what it writes

Deterministic: a fixed seed, our own normal deviates (Box-Muller on
random.Random's uniform numbers, whose sequence for an integer seed Python
keeps stable), integer arithmetic for what is written. Standard library only.
"""

import argparse
import math
import os
import random
import sys

SEED = 20261207
OPPORTUNITY_BITS = 1500 * 8  # mahimahi: each line is one 1500-byte delivery opportunity


def constant(bits_per_second, period_ms):
    """mahimahi lines for a constant rate: exactly bits_per_second over period_ms (it must divide evenly),
    the opportunities spread over the milliseconds as evenly as integers allow."""
    total = bits_per_second * period_ms
    assert total % (OPPORTUNITY_BITS * 1000) == 0, "the period does not hold a whole number of opportunities"
    n = total // (OPPORTUNITY_BITS * 1000)
    lines = []
    for ms in range(1, period_ms + 1):
        lines += [str(ms)] * (ms * n // period_ms - (ms - 1) * n // period_ms)
    return lines


class Normal:
    """Standard normal deviates by Box-Muller from a seeded random.Random."""

    def __init__(self, seed):
        self.rng = random.Random(seed)

    def uniform(self):
        return self.rng.random()

    def normal(self):
        u1 = 1.0 - self.rng.random()  # (0, 1]
        u2 = self.rng.random()
        return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)

    def poisson(self, mean):
        # Knuth's method: fine for the small means of one millisecond (< 10).
        limit, k, p = math.exp(-mean), 0, 1.0
        while True:
            p *= self.rng.random()
            if p <= limit:
                return k
            k += 1


def cellular(seed, period_ms, mean_mbit, sigma, max_mbit, outage_per_s, outage_ms):
    """A driving-LTE-like capacity trace: the delivery rate follows a mean-reverting random walk in
    log space, updated every 10 ms (a log-normal rate around mean_mbit, sigma its spread), capped at
    max_mbit; outages (no deliveries) start at outage_per_s a second and last about outage_ms;
    deliveries within a millisecond are Poisson at the current rate (Sprout's model, see README.md).
    The last line is at period_ms, the trace's period."""
    g = Normal(seed)
    mean_pps = mean_mbit * 1e6 / OPPORTUNITY_BITS
    max_pps = max_mbit * 1e6 / OPPORTUNITY_BITS
    # Ornstein-Uhlenbeck on x = log(rate / median): x' = -x/tau + noise; stationary stddev sigma.
    tau_s, dt = 1.0, 0.010
    a = math.exp(-dt / tau_s)
    b = sigma * math.sqrt(1 - a * a)
    median_pps = mean_pps / math.exp(sigma * sigma / 2)  # a log-normal's mean is median * e^(sigma^2/2)
    x = 0.0
    outage_left = 0
    lines = []
    rate = median_pps
    for ms in range(1, period_ms + 1):
        if ms % 10 == 1:
            x = a * x + b * g.normal()
            rate = min(max_pps, median_pps * math.exp(x))
            if outage_left == 0 and g.uniform() < outage_per_s * dt:
                outage_left = int(outage_ms * (0.5 + g.uniform()))
        if outage_left > 0:
            outage_left -= 1
            continue
        lines += [str(ms)] * g.poisson(rate / 1000.0)
    if not lines or lines[-1] != str(period_ms):
        lines.append(str(period_ms))  # the period: mahimahi loops after the last line
    return lines


def ms_text(us):
    """Microseconds as the shortest exact milliseconds: 40000 -> "40ms", 40250 -> "40.25ms"."""
    whole, frac = divmod(us, 1000)
    return f"{whole}ms" if frac == 0 else f"{whole}.{frac:03d}".rstrip("0") + "ms"


def seconds_text(ms):
    whole, frac = divmod(ms, 1000)
    return f"{whole}s" if frac == 0 else f"{whole}.{frac:03d}".rstrip("0") + "s"


def rtt_handover(seed):
    """A direction's delay over 20 s: a base of 40 ms with a few ms of wander every 100 ms, and two
    handovers (at 6 s and 15 s) where the delay climbs to 150-200 ms and back over ~400 ms."""
    g = Normal(seed)
    lines = ["# synnet delay trace: TIME,VALUE (scenarios/README.md); written by generate.py",
             "# a direction's delay, base 40 ms, handovers at 6 s and 15 s; use with \"shape\": \"linear\""]
    handovers = {6000: 150_000, 15000: 200_000}
    t = 0
    while t <= 20000:
        us = 40_000 + int(round(3000 * g.normal()))
        for start, peak in handovers.items():
            if start <= t < start + 400:  # up for 200 ms, down for 200 ms
                rise = 1 - abs(t - start - 200) / 200
                us = max(us, 40_000 + int(round((peak - 40_000) * rise)))
        lines.append(f"{seconds_text(t)},{ms_text(max(us, 1000))}")
        t += 100
    return lines


def loss_burst(seed):
    """A loss ratio over 10 s, stepped: 0.1% background and three bursts (at 2 s, 5.5 s and 8.2 s)
    of 10-30% lasting 100-300 ms."""
    g = Normal(seed)
    lines = ["# synnet loss trace: TIME,VALUE (scenarios/README.md); written by generate.py",
             "# 0.1% background loss with three bursts; use with \"shape\": \"step\""]
    t = 0
    for start in (2000, 5500, 8200):
        lines.append(f"{seconds_text(t)},0.1%")
        length = 100 + int(g.uniform() * 200)
        percent = 10 + int(g.uniform() * 20)
        lines.append(f"{seconds_text(start)},{percent}%")
        t = start + length
    lines.append(f"{seconds_text(t)},0.1%")
    lines.append("10s,0.1%")
    return lines


def traces():
    """Every file and its lines."""
    return {
        "lte-driving.down": cellular(SEED, 20000, mean_mbit=10, sigma=0.8, max_mbit=60, outage_per_s=0.1,
                                     outage_ms=300),
        "lte-driving.up": cellular(SEED + 1, 20000, mean_mbit=4, sigma=0.8, max_mbit=20, outage_per_s=0.1,
                                   outage_ms=300),
        "12mbps": constant(12_000_000, 1),
        "500mbps": constant(500_000_000, 3),
        "1gbps": constant(1_000_000_000, 3),
        "rtt-handover.csv": rtt_handover(SEED + 2),
        "loss-burst.csv": loss_burst(SEED + 3),
    }


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=here, help="the directory to write into (default: this script's)")
    parser.add_argument("--check", action="store_true", help="compare with the files here instead of writing")
    args = parser.parse_args()
    differ = []
    for name, lines in traces().items():
        text = "\n".join(lines) + "\n"
        path = os.path.join(here if args.check else args.out, name)
        if args.check:
            try:
                with open(path, encoding="ascii") as f:
                    same = f.read() == text
            except OSError:
                same = False
            if not same:
                differ.append(name)
        else:
            with open(path, "w", encoding="ascii", newline="\n") as f:
                f.write(text)
    if differ:
        print("generate.py: these differ from what the script writes (run it to regenerate): " + ", ".join(differ),
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
