#!/usr/bin/env python3
"""Aggregates a JFR recording's execution samples: top frames (self) and frames on the stack (total).

  jfr print --events jdk.ExecutionSample recording.jfr | python3 src/test/python/jfr_top.py [N] [THREAD-PREFIX]

Prints the N (default 25) methods most often on top of a sampled stack, the N most often anywhere on
it (each counted once a sample), and the threads sampled. THREAD-PREFIX keeps only threads whose name
starts with it (e.g. pod-writer).
"""
import collections
import re
import sys

limit = int(sys.argv[1]) if len(sys.argv) > 1 else 25
only = sys.argv[2] if len(sys.argv) > 2 else None
top = collections.Counter()
total = collections.Counter()
threads = collections.Counter()
samples = 0
frames = []
thread = None
frame = re.compile(r"^\s+([\w$.<>]+(?:\.[\w$<>]+)?)\(")


def flush():
    global samples
    if frames and (only is None or (thread or "").startswith(only)):
        samples += 1
        top[frames[0]] += 1
        for f in set(frames):
            total[f] += 1
        threads[thread] += 1


for line in sys.stdin:
    if line.startswith("jdk.ExecutionSample"):
        flush()
        frames, thread = [], None
    elif "sampledThread = " in line:
        m = re.search(r'sampledThread = "([^"]*)"', line)
        thread = m.group(1) if m else line.split("=", 1)[1].strip()
    else:
        m = frame.match(line)
        if m:
            frames.append(m.group(1))
flush()
print("%d samples%s" % (samples, " of threads " + only + "*" if only else ""))
for title, counter in (("self (top frame)", top), ("total (on the stack)", total)):
    print("\n%s" % title)
    for name, n in counter.most_common(limit):
        print("%6.1f%%  %s" % (100.0 * n / max(samples, 1), name))
print("\nthreads")
for name, n in threads.most_common(limit):
    print("%6.1f%%  %s" % (100.0 * n / max(samples, 1), re.sub(r"\d+", "N", name or "?")))
