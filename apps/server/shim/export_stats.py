#!/usr/bin/env python3
"""Write a stored run's stats as a pstats file or as pstats' printed report.

usage: export_stats.py --format prof|pstats --output PATH INPUT.prof [INPUT.prof ...]

Several inputs are one merged run: they are merged as pstats.Stats(first).add(*rest) does
(merge_stats.py), exactly as pstats_to_json.py --merge did when the run was made.

--format prof    marshal.dump of the stats dict, as pstats.Stats.dump_stats writes it: every
                 pstats (2.7 and 3.x) loads it and finds the run's rows. Writing with marshal is
                 safe; the inputs are read with the shim's strict reader, never marshal.loads.
--format pstats  pstats.Stats(...).sort_stats("cumulative").print_stats() as UTF-8 text. pstats
                 is handed the dict read by the strict reader (an object with create_stats()),
                 so the report has no file-name line: it starts with the "N function calls"
                 line, as the report of a Stats made from a profiler object does. An empty
                 profile prints pstats' report of no functions.

What the file holds, as the run shows it (profile_document.py's text keys):
- Python 2.7 byte strings are str: UTF-8 decoded, other bytes as U+FFFD, so that Python 3's
  pstats loads and prints them. Two keys that only such bytes told apart become one entry, their
  numbers summed as pstats.add sums equal keys (the run keeps them as two rows).
- A code object used as a name (`python -m profile`) is its text, '<code object f, file "x",
  line 3>' without the memory address.
- The ("__sampled__",) marker of CPython 3.15's sampling profiler is left out: no pstats before
  3.15 loads a file that has it. The counts stay sample counts; /file has the original.

The inputs were checked when the run was uploaded; they are read again by the same strict
reader, and anything unexpected is a bug (exit 1), not a client error.
Exit status: 0 written; 3 too large for the memory/CPU limits; 1 a bug or a usage error.
Standard library only; Python 3.8+.
"""
import gc
import io
import marshal
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from marshal_reader import MarshalError  # noqa: E402
from merge_stats import merge_stats  # noqa: E402
from profile_document import SAMPLED_MARKER, ProfileError, to_text  # noqa: E402
from pstats_to_json import EXIT_TOO_LARGE, exit_now, read_input, read_stats, set_limits  # noqa: E402

FORMATS = ("prof", "pstats")


def load_run(paths):
    """The run's raw stats dict: one file's, or the inputs merged like the upload merged them."""
    stats_list = [read_stats(read_input(path)) for path in paths]
    if len(stats_list) == 1:
        return stats_list[0]
    return merge_stats(stats_list)


def text_stats(raw):
    """The stats dict with text keys (see the module doc), in the file's order: pstats sums
    total_tt in dict order, so the exported file gives the run's total to the last bit."""
    texts = {}

    def key_of(raw_key):
        found = texts.get(raw_key)
        if found is None:
            found = texts[raw_key] = (to_text(raw_key[0]), raw_key[1], to_text(raw_key[2]))
        return found

    stats = {}
    for raw_key, value in raw.items():
        if raw_key == SAMPLED_MARKER:
            continue
        cc, nc, tt, ct, raw_callers = value
        callers = {}
        for raw_caller, value in raw_callers.items():
            caller = key_of(raw_caller)
            callers[caller] = add_caller(callers[caller], value) if caller in callers else value
        key = key_of(raw_key)
        old = stats.get(key)
        if old is not None:  # only keys that decoding made equal
            for caller, value in old[4].items():
                callers[caller] = add_caller(value, callers[caller]) if caller in callers else value
            cc, nc, tt, ct = old[0] + cc, old[1] + nc, old[2] + tt, old[3] + ct
        stats[key] = (cc, nc, tt, ct, callers)
    return stats


def add_caller(a, b):
    if type(a) is tuple:
        return tuple(x + y for x, y in zip(a, b))
    return a + b


class _Loaded(object):
    """What pstats.Stats accepts besides a file name: an object with create_stats() and .stats
    (how cProfile.Profile hands its results over), so pstats never unmarshals anything."""

    def __init__(self, stats):
        self.stats = stats

    def create_stats(self):
        pass


def format_report(stats):
    import pstats

    out = io.StringIO()
    # pstats refuses to be handed an empty dict; Stats() with no argument is its empty report.
    report = pstats.Stats(_Loaded(stats), stream=out) if stats else pstats.Stats(stream=out)
    report.sort_stats("cumulative").print_stats()
    return out.getvalue().encode("utf-8", "backslashreplace")  # a lone surrogate as \\udXXX


def write_file(path, data):
    """Writes `data` to `path`; removes what it wrote if that fails."""
    try:
        with open(path, "wb") as f:
            f.write(data)
    except BaseException:
        try:
            os.unlink(path)
        except OSError:
            pass
        raise


def main(argv):
    args = argv[1:]
    if "-h" in args or "--help" in args:
        sys.stdout.write(__doc__.lstrip())
        return 0
    fmt = output = None
    paths = []
    i = 0
    while i < len(args):
        if args[i] in ("--format", "--output") and i + 1 < len(args):
            if args[i] == "--format":
                fmt = args[i + 1]
            else:
                output = args[i + 1]
            i += 2
            continue
        paths.append(args[i])
        i += 1
    if fmt not in FORMATS or not output or not paths or any(p.startswith("--") for p in paths):
        sys.stderr.write("usage: export_stats.py --format prof|pstats --output PATH "
                         "INPUT.prof... (see --help)\n")
        return 1
    set_limits()
    gc.disable()  # millions of small tuples, no cycles: see pstats_to_json.py
    try:
        stats = text_stats(load_run(paths))
        data = marshal.dumps(stats) if fmt == "prof" else format_report(stats)
        del stats
        write_file(output, data)
    except (ProfileError, MarshalError) as err:
        # The run's own stored files no longer read as they did when it was uploaded.
        sys.stderr.write("A stored file of this run cannot be read: %s\n" % err)
        return 1
    except MemoryError:
        sys.stderr.write("The profile is too large to export within the shim's memory limit.\n")
        return EXIT_TOO_LARGE
    return 0


if __name__ == "__main__":
    try:
        status = main(sys.argv)
    except SystemExit:
        raise
    except BaseException as err:
        import traceback

        sys.stderr.write("Internal error in export_stats.py: %s: %s\n" % (type(err).__name__, err))
        traceback.print_exc()
        sys.exit(1)
    exit_now(status)
