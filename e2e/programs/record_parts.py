"""Profiles a script with cProfile while tracemalloc traces it, and writes what an upload can
carry beside the .prof: the memory document, the script's source and the environment (JSON).

    python record_parts.py OUT_DIR SCRIPT [ARGS...]

writes OUT_DIR/run.prof, memory.json, source.json, environment.json. Standard library only, so
any Python 3 can run it (the tests use several to compare Pythons).
"""
import cProfile
import json
import os
import platform
import runpy
import sys
import tracemalloc


def main():
    out_dir, script = sys.argv[1], os.path.abspath(sys.argv[2])
    sys.argv = [script] + sys.argv[3:]
    sys.path.insert(0, os.path.dirname(script))
    tracemalloc.start(10)
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        runpy.run_path(script, run_name="__main__")
    finally:
        profiler.disable()
    final, peak = tracemalloc.get_traced_memory()
    snapshot = tracemalloc.take_snapshot().filter_traces(
        [tracemalloc.Filter(False, tracemalloc.__file__)]
    )
    tracemalloc.stop()
    profiler.dump_stats(os.path.join(out_dir, "run.prof"))

    lines = [
        {"file": s.traceback[0].filename, "line": s.traceback[0].lineno, "size": s.size,
         "count": s.count}
        for s in snapshot.statistics("lineno")[:500]
    ]
    tracebacks = [
        {"size": s.size, "count": s.count,
         # Most recent call first.
         "frames": [{"file": f.filename, "line": f.lineno} for f in reversed(list(s.traceback))]}
        for s in snapshot.statistics("traceback")[:100]
    ]
    memory = {"formatVersion": 1, "tool": "tracemalloc", "peakBytes": peak,
              "finalBytes": final, "tracebackLimit": 10, "lines": lines,
              "tracebacks": tracebacks}
    with open(script, encoding="utf-8") as f:
        source = {"formatVersion": 1, "files": [{"path": script, "text": f.read()}]}
    environment = {
        "formatVersion": 1,
        "python": {"version": platform.python_version(),
                   "implementation": platform.python_implementation()},
        "platform": {"system": platform.system(), "release": platform.release(),
                     "machine": platform.machine(), "node": platform.node()},
        "profiler": {"name": "cProfile", "clock": "perf_counter"},
        "command": sys.argv,
        "cwd": os.getcwd(),
        "git": None,
        "memory": True,
    }
    for name, doc in (("memory", memory), ("source", source), ("environment", environment)):
        with open(os.path.join(out_dir, name + ".json"), "w", encoding="utf-8") as f:
            json.dump(doc, f)


if __name__ == "__main__":
    main()
