"""How much one profile may hold: each limit is checked while the file is read, before the work
that grows with it, and is the same on a fast or a slow machine (counts, not clocks).

  functions        PROFHUB_MAX_FUNCTIONS (default 500,000: five times the largest profile the
                   viewer is built to show interactively)
  call edges       PROFHUB_MAX_EDGES (default 2,500,000)
  one name/path    10,000 characters (real ones are a few hundred at most)
  all names/paths  64,000,000 characters together (a 100,000-function profile has ~600,000)
  expansion        functions + call edges <= file bytes / 10. An entry takes at least 10 bytes
                   (a 5-byte back reference to its key and one to its value), so only a file
                   that reuses one callers table for many functions (marshal back references:
                   2,000 functions sharing one 2,000-caller table make 4 million edges out of
                   111 KB) goes over it.
The shim's memory and CPU limits (pstats_to_json.set_limits) stay as the last resort.
"""
import os

MAX_TEXT_CHARS = 10000
MAX_TOTAL_TEXT_CHARS = 64000000
MIN_ENTRY_BYTES = 10


class LimitError(Exception):
    """The profile is over one of the limits (the shim exits 3: the server answers 413).
    The message is meant for a person."""


def env_int(name, default):
    """A positive whole number from the environment, else `default`."""
    try:
        value = int(os.environ.get(name, default))
    except ValueError:
        return default
    return value if value > 0 else default


class Limits:
    def __init__(self, functions=None, edges=None):
        self.functions = functions or env_int("PROFHUB_MAX_FUNCTIONS", 500000)
        self.edges = edges or env_int("PROFHUB_MAX_EDGES", 2500000)

    def too_many_functions(self):
        return LimitError(
            "The profile has more than %s functions, the server's limit (MAX_FUNCTIONS)."
            % _thousands(self.functions)
        )

    def too_many_edges(self):
        return LimitError(
            "The profile has more than %s call edges (caller-callee pairs), the server's limit "
            "(MAX_EDGES)." % _thousands(self.edges)
        )


def too_long(what, text):
    return LimitError(
        "A %s in the profile is %s characters long; the limit is %s."
        % (what, _thousands(len(text)), _thousands(MAX_TEXT_CHARS))
    )


def too_much_text(total):
    return LimitError(
        "The profile's function names and file paths are %s characters together; the limit is %s."
        % (_thousands(total), _thousands(MAX_TOTAL_TEXT_CHARS))
    )


def over_expanded(size):
    return LimitError(
        "The profile reuses callers tables by marshal back reference, which no profiler does: "
        "its %s bytes would expand to more than %s functions and call edges."
        % (_thousands(size), _thousands(size // MIN_ENTRY_BYTES))
    )


def _thousands(n):
    return "{:,}".format(n)
