"""Summarise py-spy's collapsed stacks: the functions with the largest share of samples.

Usage: python bench/stacks.py FILE [--top 30] [--match TEXT]

Inclusive: samples with the function anywhere on the stack; self: samples with it on top.
Idle threads (waiting for work) are left out, so shares are of busy samples.
"""

import argparse
import re
from collections import Counter
from pathlib import Path

IDLE = re.compile(
    r"\(threading\.py\)$|_worker \(concurrent/futures/thread\.py|select \(selectors\.py|run_forever"
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--match", default="", help="only frames containing this text")
    args = parser.parse_args()
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    for line in Path(args.file).read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        frames = [_short(f) for f in stack.split(";")]
        if not frames or _idle(frames[-1]):
            continue
        count = int(count_text)
        total += count
        own[frames[-1]] += count
        for frame in set(frames):
            inclusive[frame] += count
    print(f"{total} busy samples")
    print(f"{'incl %':>7} {'self %':>7}  function")
    for frame, count in inclusive.most_common():
        if args.match and args.match not in frame:
            continue
        print(f"{100 * count / total:7.1f} {100 * own[frame] / total:7.1f}  {frame}")
        args.top -= 1
        if args.top == 0:
            break


def _short(frame: str) -> str:
    # "function (path/to/site-packages/pkg/module.py:123)" -> "function (pkg/module.py)"
    match = re.match(r"(.*) \((.*?)(?::\d+)?\)$", frame)
    if not match:
        return frame
    name, path = match.groups()
    path = re.sub(r".*/(site-packages|lib/python3\.\d+|src)/", "", path)
    return f"{name} ({path})"


def _idle(frame: str) -> bool:
    return bool(IDLE.search(frame)) or frame.startswith(
        ("wait (threading", "_wait_for_tstate_lock", "select (")
    )


if __name__ == "__main__":
    main()
