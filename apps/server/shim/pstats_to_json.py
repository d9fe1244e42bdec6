#!/usr/bin/env python3
"""Convert a Python pstats file (.prof) to profhub's JSON profile document.

usage: pstats_to_json.py [--pretty] [--output PATH] INPUT.prof
       pstats_to_json.py [--pretty] [--output PATH] --merge INPUT.prof INPUT.prof [INPUT.prof ...]
       pstats_to_json.py --help

--merge: one document for several profiles, merged as `pstats.Stats(first).add(*rest)` would
(merge_stats.py), with sourceFormat "merged". Every input is checked as strictly as a single
one; a bad input's message starts with "file N of M: " (N counts from 1, in argument order).

Writes the document (packages/profile/src/document.ts, formatVersion 2) as UTF-8 JSON to stdout,
or with --output PATH to the file PATH instead (created or truncated; nothing on stdout). The file
is only opened once the document is complete, so a rejected input leaves no file behind (one
that a write failure cut short is removed).
Exit status:
  0  converted
  2  the input is not a valid profile: one line of plain English on stderr says why
  3  the input is over a limit (limits.py) or too large for the memory/CPU limits: one line
     on stderr says which
  4  the output file could not be written for want of space (ENOSPC, EDQUOT)
  1  a bug in this script (or a usage error): a message, then details, on stderr

Standard library only; runs on Python 3.8+. Reads Python 2.7 and 3.6-3.13 profiles (cProfile,
profile, yappi, pstats.add() merges) and CPython 3.15's sampling profiler export, with its own
strict marshal reader (never marshal.loads, which is unsafe on crafted input).
Limits: the counts and lengths of limits.py (PROFHUB_MAX_FUNCTIONS, PROFHUB_MAX_EDGES), then
PROFHUB_SHIM_MEMORY_MB (address space, default 2048) and PROFHUB_SHIM_CPU_SECONDS (default 120);
the caller should still apply its own timeout.
"""
import errno
import gc
import json
import math
import os
import signal
import struct
import sys
from array import array

sys.dont_write_bytecode = True  # no __pycache__ next to the shim, even with a writable checkout
# `python -I` (isolated mode) leaves the script's directory off sys.path: add it back.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from limits import LimitError, Limits, env_int  # noqa: E402
from marshal_reader import DepthError, MarshalError, load  # noqa: E402
from merge_stats import merge_stats  # noqa: E402
from pstats_fast_reader import FloatColumn, fast_document  # noqa: E402
from profile_document import ProfileError, build_document  # noqa: E402

EXIT_BAD_INPUT = 2
EXIT_TOO_LARGE = 3
EXIT_NO_SPACE = 4

# Formats people upload by mistake, by their first bytes. None of these can start a marshal dict.
MAGIC = (
    (b"\x1f\x8b", "This looks like a gzip-compressed file: decompress it first (gunzip)."),
    (b"BZh", "This looks like a bzip2-compressed file: decompress it first (bunzip2)."),
    (b"\xfd7zXZ\x00", "This looks like an xz-compressed file: decompress it first (unxz)."),
    (b"\x28\xb5\x2f\xfd", "This looks like a zstd-compressed file: decompress it first (unzstd)."),
    (b"PK\x03\x04", "This looks like a zip archive: extract the .prof file from it first."),
    (b"\x89PNG\r\n\x1a\n", "This looks like a PNG image, not a pstats profile."),
    (b"\xff\xd8\xff", "This looks like a JPEG image, not a pstats profile."),
    (b"%PDF", "This looks like a PDF document, not a pstats profile."),
    (b"\x7fELF", "This looks like a program (ELF executable), not a pstats profile."),
)


def die_with_parent():
    """On Linux, have the kernel kill this process when the server that started it dies, even by
    SIGKILL: an orphan would go on converting, and write its output into DATA_DIR/tmp after the
    next server had emptied it. The server passes its pid (PROFHUB_PARENT_PID) to tell whether
    it died before the request took effect."""
    parent = os.environ.get("PROFHUB_PARENT_PID")
    if not parent or not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError, ImportError):
        return
    if str(os.getppid()) != parent:
        os._exit(1)


def set_limits():
    die_with_parent()
    try:
        import resource
    except ImportError:  # not on Windows
        return
    memory = env_int("PROFHUB_SHIM_MEMORY_MB", 2048) * 1024 * 1024
    cpu = env_int("PROFHUB_SHIM_CPU_SECONDS", 120)
    # Past the soft CPU limit the kernel sends SIGXCPU: answer like for memory (exit 3).
    signal.signal(signal.SIGXCPU, _out_of_cpu)
    for limit, value in ((resource.RLIMIT_AS, memory), (resource.RLIMIT_CPU, cpu)):
        try:
            soft, hard = resource.getrlimit(limit)
            if hard != resource.RLIM_INFINITY:
                value = min(value, hard)
            resource.setrlimit(limit, (value, hard))
        except (ValueError, OSError):
            pass  # e.g. a sandbox that forbids it: the caller's timeout still applies


def _out_of_cpu(signum, frame):
    os.write(2, b"The profile is too large to convert within the shim's CPU time limit.\n")
    os._exit(EXIT_TOO_LARGE)


def looks_like_text(data):
    head = data[:4096]
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as err:
        if err.start < len(head) - 3:  # not just a character cut at the 4096-byte boundary
            return None
        text = head[: err.start].decode("utf-8")
    if any(ch < " " and ch not in "\t\n\r\f" for ch in text):
        return None
    return text


def explain_failure(data, error):
    """A better message for a file that is not a profile, when its content says what it is."""
    if isinstance(error, DepthError):
        return str(error)
    text = looks_like_text(data)
    if text is not None:
        start = text.lstrip()[:1]
        if start in ("{", "["):
            return "This looks like a JSON document, not a pstats profile."
        return "This looks like a text file, not a pstats profile (a profile is binary data)."
    return str(error)


def convert(data, limits=None):
    """Return the document for `data`, or raise ProfileError / MarshalError / LimitError.
    The fast reader handles plain Python 3 cProfile files; it gives up on anything else (and
    on every bad input), which the strict path then reads from the start."""
    limits = limits or Limits()
    doc = fast_document(data, limits)
    if doc is None:
        doc = build_document(read_stats(data), limits, len(data))
    return doc


def read_stats(data):
    """The object a profile file holds (checked by build_document), or raise ProfileError /
    MarshalError for data that is not even marshal data of the right kind."""
    if not data:
        raise ProfileError("The file is empty.")
    for magic, message in MAGIC:
        if data.startswith(magic):
            raise ProfileError(message)
    try:
        stats = load(data)
    except MarshalError as err:
        raise ProfileError(explain_failure(data, err))
    if type(stats) is not dict:
        text = looks_like_text(data)
        if text is not None:
            raise ProfileError(explain_failure(data, None))
    return stats


def convert_merged(paths):
    """The document of the inputs merged like pstats.Stats(paths[0]).add(*paths[1:]). Each
    input is read and checked on its own first, so that the error names the bad file."""
    label = lambda i: "file %d of %d" % (i + 1, len(paths))  # noqa: E731
    limits = Limits()
    stats_list = []
    total_size = 0
    for i, path in enumerate(paths):
        data = read_input(path)
        total_size += len(data)
        try:
            stats = read_stats(data)
            size = len(data)
            del data
            build_document(stats, limits, size)  # the checks; the document is not needed
        except (ProfileError, MarshalError) as err:
            raise ProfileError("%s: %s" % (label(i), err))
        except LimitError as err:
            raise LimitError("%s: %s" % (label(i), err))
        stats_list.append(stats)
    merged = merge_stats(stats_list, label)
    del stats_list
    try:
        doc = build_document(merged, limits, total_size)
    except ProfileError as err:  # e.g. a call count that only the sum makes too large
        raise ProfileError("The merged profile is not valid: %s" % err)
    except LimitError as err:
        raise LimitError("Merged, the files are over a limit: %s" % err)
    doc["sourceFormat"] = "merged"
    return doc


def encode_document(doc, pretty):
    """The document as UTF-8 JSON bytes, exactly as json.dumps writes it. A lone surrogate (a
    name Python 3 stored as it was) cannot be UTF-8: it is written as its JSON escape \\udXXX,
    which is what backslashreplace makes of it (it only occurs inside JSON strings)."""
    if pretty:
        text = json.dumps(doc, ensure_ascii=False, allow_nan=False, check_circular=False, indent=1)
    else:
        text = _compact(doc)
    return text.encode("utf-8", "backslashreplace")


def _dumps(value):
    return json.dumps(value, ensure_ascii=False, allow_nan=False, check_circular=False,
                      separators=(",", ":"))


def _compact(value):
    """json.dumps(value) with compact separators, but lists of floats (the time columns) are
    written by _float_list."""
    if type(value) is dict:
        return "{%s}" % ",".join(_dumps(k) + ":" + _compact(v) for k, v in value.items())
    if type(value) is FloatColumn:  # from the fast reader: all floats
        return _float_list(value, True) if value else "[]"
    if type(value) is list and value and type(value[0]) is float:
        return _float_list(value)
    return _dumps(value)


_BITS_TO_DOUBLE = struct.Struct("=d").unpack  # native order, like array("d").tobytes()


def _float_list(values, all_floats=False):
    """json.dumps(values) for a list of floats, formatting each distinct value once.
    float repr is the slowest part of json.dumps, and a profile's times repeat a lot (~45,000
    distinct values among 900,000 in a 100,000-function profile). The values are keyed by their
    64-bit pattern rather than as floats: an int hashes much faster than a float, and 0.0 and
    -0.0 (equal floats, different text) get separate entries.
    all_floats: the caller knows every item is a float (saves a pass over the list)."""
    if not all_floats and set(map(type, values)) != {float}:
        return _dumps(values)  # ints among them: 1 and 1.0 are written differently
    bits = array("q", array("d", values).tobytes())
    text = dict.fromkeys(bits)
    for pattern in text:
        value = _BITS_TO_DOUBLE(pattern.to_bytes(8, sys.byteorder, signed=True))[0]
        if not math.isfinite(value):
            return _dumps(values)  # json.dumps raises the error for it
        text[pattern] = repr(value)  # what json.dumps writes for a float
    return "[%s]" % ",".join(map(text.__getitem__, bits))


class InputError(Exception):
    pass


def read_input(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as err:
        raise InputError("Cannot read the input file: %s." % (err.strerror or err))


class OutputError(Exception):
    def __init__(self, message, no_space=False):
        super().__init__(message)
        self.no_space = no_space


def write_output(path, data):
    """Writes the document and its newline to `path`; removes what it wrote if that fails."""
    try:
        with open(path, "wb") as f:
            try:
                f.write(data)
                f.write(b"\n")
            except BaseException:
                f.close()
                _remove(path)
                raise
    except OSError as err:
        _remove(path)
        raise OutputError("Cannot write the output file: %s." % (err.strerror or err),
                          err.errno in (errno.ENOSPC, errno.EDQUOT))


def _remove(path):
    try:
        os.unlink(path)
    except OSError:
        pass


def main(argv):
    args = argv[1:]
    if "-h" in args or "--help" in args:
        sys.stdout.write(__doc__.lstrip())
        return 0
    pretty = "--pretty" in args
    merge = "--merge" in args
    output = None
    paths = []
    usage_ok = True
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--output":
            if output is not None or i + 1 >= len(args) or args[i + 1] == "":
                usage_ok = False
            else:
                output = args[i + 1]
            i += 2
            continue
        if arg not in ("--pretty", "--merge"):
            paths.append(arg)
        i += 1
    if not usage_ok or len(paths) < (2 if merge else 1) or (len(paths) > 1 and not merge) or any(
        p.startswith("--") for p in paths
    ):
        sys.stderr.write("usage: pstats_to_json.py [--pretty] [--output PATH] [--merge] "
                         "INPUT.prof... (see --help)\n")
        return 1
    set_limits()
    # The reader allocates millions of small tuples and dicts and makes no reference cycles:
    # the cyclic garbage collector would only rescan them over and over (a third of the time).
    gc.disable()
    try:
        if merge:
            doc = convert_merged(paths)
        else:
            data = read_input(paths[0])
            doc = convert(data)
            del data
        data = encode_document(doc, pretty)
        del doc
        if output is None:
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.write(b"\n")
            sys.stdout.flush()
        else:
            write_output(output, data)
    except (ProfileError, MarshalError) as err:
        sys.stderr.write(" ".join(str(err).split()) + "\n")  # always exactly one line
        return EXIT_BAD_INPUT
    except LimitError as err:
        sys.stderr.write(" ".join(str(err).split()) + "\n")
        return EXIT_TOO_LARGE
    except MemoryError:
        sys.stderr.write("The profile is too large to convert within the shim's memory limit.\n")
        return EXIT_TOO_LARGE
    except BrokenPipeError:
        return 1
    except (InputError, OutputError) as err:
        sys.stderr.write("%s\n" % err)
        return EXIT_NO_SPACE if getattr(err, "no_space", False) else 1
    return 0


def exit_now(status):
    """Exit without the interpreter's teardown, which would free the millions of objects of a
    big profile one at a time (almost a tenth of the run). If flushing the output fails, exit
    the usual way, which reports it as before."""
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except BaseException:
        sys.exit(status)
    os._exit(status)


if __name__ == "__main__":
    try:
        status = main(sys.argv)
    except SystemExit:
        raise
    except BaseException as err:  # a bug: say so on one line first, details after
        import traceback

        sys.stderr.write("Internal error in pstats_to_json.py: %s: %s\n" % (type(err).__name__, err))
        traceback.print_exc()
        sys.exit(1)
    exit_now(status)
