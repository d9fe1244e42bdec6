"""Reports what a profiled program sees, does some work, then exits as PROBE_EXIT says.

Run as a script or as a module (`-m probe`); writes JSON to the file named by PROBE_OUT.
"""

import json
import os
import sys


def fibonacci(n):
    return n if n < 2 else fibonacci(n - 1) + fibonacci(n - 2)


def work():
    return sorted(str(fibonacci(n)) for n in range(18))


class Point:
    """Pickled below: only possible when this module really is sys.modules['__main__']."""


def report():
    import pickle

    try:
        pickled = len(pickle.dumps(Point())) > 0
    except Exception:
        pickled = False
    return {
        "argv": sys.argv,
        "name": __name__,
        "path0": os.path.realpath(sys.path[0] or "."),
        "pickled": pickled,
    }


if __name__ == "__main__":
    with open(os.environ["PROBE_OUT"], "w") as out:
        json.dump(report(), out)
    work()
    print("probe says hello")
    outcome = os.environ.get("PROBE_EXIT", "0")
    if outcome == "raise":
        raise ValueError("the probe failed on purpose")
    sys.exit(int(outcome))
