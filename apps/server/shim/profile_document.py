"""Check a loaded pstats dict and turn it into the ProfileDocument of packages/profile/src/pstats.ts.

The stats dict, as pstats reads it:
    {(file, line, name): (cc, nc, tt, ct, callers)}
    callers = {(file, line, name): (nc, cc, tt, ct)}   cProfile, yappi, pstats.add (merged)
            = {(file, line, name): nc}                 the pure-Python `profile` module, and
                                                       3.15's sampling profiler (sample counts)
Note the first two fields swap between a stats value (cc, nc) and a callers value (nc, cc).
yappi writes its stats values as (nc, cc, ...) anyway; like pstats (and the contract) we report
what pstats reports, so yappi files can show primitiveCalls > ncalls.
"""
import math
import re
import reprlib
from collections import Counter
from functools import reduce
from itertools import accumulate, chain, compress, islice, repeat
from itertools import count as count_from
from operator import add, eq, gt, mul, not_

from marshal_types import CodeObject, decode_text

FORMAT_VERSION = 2
SAMPLED_MARKER = ("__sampled__",)
PROFILER_DISABLE = ("~", 0, "<method 'disable' of '_lsprof.Profiler' objects>")
PROFILE_ROOT = ("profile", 0, "profiler")  # the `profile` module's own top entry
# JS numbers are doubles: counts and line numbers above this would not survive JSON.parse.
MAX_SAFE_INT = 2 ** 53 - 1
MAX_FLOAT = float.fromhex("0x1.fffffffffffffp+1023")
_PY_PATH = re.compile(r"[/\\]lib[/\\]python(\d\.\d+)[/\\]")
_REPR = reprlib.Repr()
_REPR.maxstring = _REPR.maxother = 80
_REPR.maxlevel = 3


class ProfileError(ValueError):
    """The file is valid marshal data but not a profile. The message is meant for a person."""


def describe(obj):
    """A short, single-line, escaped description of an untrusted value for an error message."""
    if _is_key_shaped(obj):
        return "the function %s" % _escape("%s:%d(%s)" % (to_text(obj[0]), obj[1], to_text(obj[2])))
    kind = {dict: "a dict", list: "a list", tuple: "a tuple", str: "the string",
            bytes: "the string", int: "the number", float: "the number"}.get(type(obj))
    # reprlib: bounded work and length even for a huge or deeply nested value; escapes text
    text = _REPR.repr(obj.decode("utf-8", "replace") if isinstance(obj, bytes) else obj)
    if isinstance(obj, (tuple, list, dict)):
        return "%s of %d items %s" % (kind, len(obj), text)
    return "%s %s" % (kind, text) if kind else text


def _escape(text):
    """Untrusted text made printable on one line (newlines, NUL, RTL overrides escaped)."""
    if len(text) > 100:
        text = text[:97] + "..."
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


def _kind(obj):
    return {dict: "a dict", list: "a list", tuple: "a tuple", str: "a string", bytes: "a string",
            int: "a number", float: "a number", bool: "a boolean (%r)" % (obj,),
            type(None): "None"}.get(type(obj), "something else")


def to_text(part):
    if isinstance(part, str):
        return part
    if isinstance(part, bytes):  # 2.7 str; a 3.x bytes name is not something profilers write
        return decode_text(part)
    return str(part)  # CodeObject, as pstats prints it with "%s" (minus the memory address)


def _is_key_shaped(key):
    return (
        type(key) is tuple
        and len(key) == 3
        and isinstance(key[0], (str, bytes))
        and type(key[1]) is int
        and isinstance(key[2], (str, bytes, CodeObject))
    )


def _canonical(key, callee=None):
    """Check a (file, line, name) key (of the callers dict of `callee`, if given) and return it
    as output text."""
    if not _is_key_shaped(key):
        where = " among the callers of %s" % describe(callee) if callee is not None else ""
        raise ProfileError(
            "A stats key must be a (file, line, function) tuple; found %s%s." % (describe(key), where)
        )
    if abs(key[1]) > MAX_SAFE_INT:
        raise ProfileError("The line number of %s is too large." % describe(key))
    return (to_text(key[0]), key[1], to_text(key[2]))


def _check_numbers(key, counts, times):
    """Raise the precise error for the first bad number; return if all are fine.
    Only called when the fast inline check in build_document fails."""
    for name, value in counts:
        if type(value) is not int:
            raise ProfileError("The %s of %s must be a whole number; found %s."
                               % (name, describe(key), describe(value)))
        if value < 0:
            raise ProfileError("The profile contains a negative %s (%d) for %s."
                               % (name, value, describe(key)))
        if value > MAX_SAFE_INT:
            raise ProfileError("The %s of %s is too large (%d)." % (name, describe(key), value))
    for name, value in times:
        if type(value) is not float and type(value) is not int:
            raise ProfileError("The %s of %s must be a number of seconds; found %s."
                               % (name, describe(key), describe(value)))
        if not math.isfinite(value):
            raise ProfileError("The profile contains a time that is not a finite number (NaN or "
                               "infinity): %s = %r for %s." % (name, value, describe(key)))
        if value < 0:
            raise ProfileError("The profile contains a negative time (%s = %r) for %s."
                               % (name, value, describe(key)))


def build_document(stats):
    """Validate `stats` (the object read from the file) and return the document as a dict."""
    if type(stats) is not dict:
        raise ProfileError(
            "The top level of a pstats profile must be a dict of functions; this file holds %s."
            % _kind(stats)
        )
    sampled = SAMPLED_MARKER in stats
    # The column-wise checks accept only what the per-entry checks accept; for anything else
    # (a bad profile, or an odd but valid one, such as an int time) the per-entry checks run,
    # raise the precise error for the first bad value, or return the same columns.
    columns = _fast_columns(stats, sampled) or _checked_columns(stats, sampled)
    keys, cc, nc, tt, ct = columns.keys, columns.cc, columns.nc, columns.tt, columns.ct
    return {
        "formatVersion": FORMAT_VERSION,
        "sourceFormat": detect_source_format(columns, sampled),
        "pythonVersion": guess_python_version(
            keys, any(c.layout == "2.7" for c in columns.codes)),
        "summary": {
            # pstats starts from int 0 and adds in the dict's order (sum() would not, on 3.12+)
            "totalTime": reduce(add, tt, 0),
            "totalCalls": sum(nc),
            "primitiveCalls": sum(cc),
            "functionCount": len(keys),
        },
        **_tables(columns),
    }


class _Columns(object):
    """A checked profile, one sequence per field, in the stats dict's order. Function keys are
    output text (file, line, name). Callers are flattened: the callers of function i are
    caller_keys/caller_values[start:start + ncallers[i]], in their dict's order."""

    __slots__ = ("keys", "cc", "nc", "tt", "ct", "ncallers", "caller_keys", "caller_values",
                 "has_int_callers", "codes")

    def __init__(self, keys, cc, nc, tt, ct, ncallers, caller_keys, caller_values,
                 has_int_callers, codes):
        self.keys, self.cc, self.nc, self.tt, self.ct = keys, cc, nc, tt, ct
        self.ncallers, self.caller_keys, self.caller_values = ncallers, caller_keys, caller_values
        self.has_int_callers, self.codes = has_int_callers, codes


def _checked_columns(stats, sampled):
    """Check `stats` one entry at a time; raise ProfileError for the first bad value."""
    canon = {}  # raw key -> text key; a key in here has been checked (keys repeat in callers)
    keys, ccs, ncs, tts, cts, ncallers, caller_keys, caller_values = [], [], [], [], [], [], [], []
    has_int_callers = False
    codes = []  # code objects used as names (`python -m profile`)
    for key, value in stats.items():
        if sampled and key == SAMPLED_MARKER:
            continue
        text_key = canon.get(key) or canon.setdefault(key, _canonical(key))
        if type(key[2]) is CodeObject:
            codes.append(key[2])
        if type(value) is not tuple or len(value) != 5:
            raise ProfileError(
                "The stats value of %s must be a 5-tuple (cc, nc, tt, ct, callers); found %s."
                % (describe(key), describe(value))
            )
        cc, nc, tt, ct, callers = value
        # fast path: NaN fails every comparison, so one chained test covers NaN, inf and < 0
        if not (type(cc) is int and type(nc) is int and type(tt) is float and type(ct) is float
                and 0 <= cc <= MAX_SAFE_INT and 0 <= nc <= MAX_SAFE_INT
                and 0.0 <= tt <= MAX_FLOAT and 0.0 <= ct <= MAX_FLOAT):
            _check_numbers(key, (("primitive call count", cc), ("call count", nc)),
                           (("tottime", tt), ("cumtime", ct)))
        if type(callers) is not dict:
            raise ProfileError(
                "The callers of %s must be a dict; found %s." % (describe(key), describe(callers))
            )
        for ckey, cval in callers.items():
            ctext = canon.get(ckey)
            if ctext is None:
                ctext = canon[ckey] = _canonical(ckey, key)
            if type(cval) is tuple and len(cval) == 4:
                c_nc, c_cc, c_tt, c_ct = cval
                if not (type(c_nc) is int and type(c_cc) is int and type(c_tt) is float
                        and type(c_ct) is float and 0 <= c_nc <= MAX_SAFE_INT
                        and 0 <= c_cc <= MAX_SAFE_INT and 0.0 <= c_tt <= MAX_FLOAT
                        and 0.0 <= c_ct <= MAX_FLOAT):
                    _check_numbers(ckey, (("caller's call count", c_nc),
                                          ("caller's primitive call count", c_cc)),
                                   (("caller's tottime", c_tt), ("caller's cumtime", c_ct)))
            elif type(cval) is int:
                _check_numbers(ckey, (("caller's call count", cval),), ())
                has_int_callers = True
            else:
                raise ProfileError(
                    "A callers value must be a 4-tuple (nc, cc, tt, ct) or a call count; found %s "
                    "for the caller %s of %s." % (describe(cval), describe(ckey), describe(key))
                )
            caller_keys.append(ctext)
            caller_values.append(cval)
        keys.append(text_key)
        ccs.append(cc)
        ncs.append(nc)
        tts.append(tt)
        cts.append(ct)
        ncallers.append(len(callers))
    return _Columns(keys, ccs, ncs, tts, cts, ncallers, caller_keys, caller_values,
                    has_int_callers, codes)


# The fast path checks a whole column at once with built-ins that loop in C: set(map(type, ..)),
# min, max, sum. A profile has a few hundred thousand values: a Python-level loop over them,
# as in _checked_columns, costs about a second.

def _fast_columns(stats, sampled):
    """The columns of `stats` if every key and value has exactly the usual types and ranges,
    else None (and _checked_columns decides)."""
    keys = list(stats)
    values = list(stats.values())
    if sampled:
        at = keys.index(SAMPLED_MARKER)
        del keys[at], values[at]
    if not keys:
        return _Columns([], [], [], [], [], [], [], [], False, [])
    kinds = _text_kinds(keys)
    if kinds is None:
        return None
    if set(map(type, values)) != {tuple} or set(map(len, values)) != {5}:
        return None
    cc, nc, tt, ct, callers = zip(*values)
    del values
    if not (_counts_ok(cc) and _counts_ok(nc) and _times_ok(tt) and _times_ok(ct)):
        return None
    if set(map(type, callers)) != {dict}:
        return None
    caller_keys = list(chain.from_iterable(callers))
    caller_values = list(chain.from_iterable(map(dict.values, callers)))
    # A caller key is nearly always the very object of a stats key (marshal writes a repeated
    # key as a back reference), already checked: check only the others. id() does not even
    # read the object, which saves cache misses on keys scattered over memory.
    known = set(map(id, keys))
    others = list(compress(caller_keys, map(not_, map(known.__contains__, map(id, caller_keys)))))
    del known
    if others:
        other_kinds = _text_kinds(others)
        if other_kinds is None:
            return None
        kinds |= other_kinds
    value_kinds = set(map(type, caller_values))
    if not value_kinds <= {tuple, int}:
        return None
    if tuple in value_kinds:
        tuples = caller_values if int not in value_kinds else [v for v in caller_values
                                                                if type(v) is tuple]
        if set(map(len, tuples)) != {4}:
            return None
        c_nc, c_cc, c_tt, c_ct = zip(*tuples)
        if not (_counts_ok(c_nc) and _counts_ok(c_cc) and _times_ok(c_tt) and _times_ok(c_ct)):
            return None
    if int in value_kinds and not _counts_ok([v for v in caller_values if type(v) is int]):
        return None
    codes = [key[2] for key in keys if type(key[2]) is CodeObject] if CodeObject in kinds else []
    if kinds != {str}:  # 2.7 byte strings or code objects: not their own output text
        keys, caller_keys = _text_keys(keys, caller_keys)
    return _Columns(keys, cc, nc, tt, ct, list(map(len, callers)), caller_keys, caller_values,
                    int in value_kinds, codes)


def _text_kinds(keys):
    """The types of the keys' file and name parts if every key is a (str or bytes, int, str or
    bytes or code object) tuple with its line in range, else None."""
    if set(map(type, keys)) != {tuple} or set(map(len, keys)) != {3}:
        return None
    files, lines, names = zip(*keys)
    kinds = set(map(type, files))
    if not kinds <= {str, bytes} or set(map(type, lines)) != {int}:
        return None
    if min(lines) < -MAX_SAFE_INT or max(lines) > MAX_SAFE_INT:
        return None
    kinds.update(map(type, names))
    return kinds if kinds <= {str, bytes, CodeObject} else None


def _counts_ok(values):
    return (set(map(type, values)) == {int}
            and 0 <= min(values) and max(values) <= MAX_SAFE_INT)


def _times_ok(values):
    # A sum of finite floats is finite or overflows to inf; a NaN or inf anywhere makes it
    # NaN or inf. So a finite sum means every value is finite (min is then meaningful).
    return (set(map(type, values)) == {float}
            and math.isfinite(sum(values)) and min(values) >= 0.0)


def _text_keys(keys, caller_keys):
    """The keys as output text. With exactly typed parts, equal keys have the same text."""
    text = dict.fromkeys(chain(keys, caller_keys))
    for key in text:
        text[key] = _canonical(key)
    return list(map(text.__getitem__, keys)), list(map(text.__getitem__, caller_keys))


def _tables(columns):
    """The function and edge tables as columns (formatVersion 2): `strings` holds every file and
    function name once, in order of first use; `functions` is sorted by (file, line, name) and
    `edges` by (callee, caller) index.
    Several raw keys can share one text key (2.7 bytes that are not UTF-8 all decode to U+FFFD):
    they stay separate functions, as in pstats, and callers point at the first of them.
    Everything is done with sorts, maps and dicts over whole columns, which loop in C."""
    keys = columns.keys
    count = len(keys)
    if not count:
        return {
            "strings": [],
            "functions": {"file": [], "line": [], "name": [], "ncalls": [],
                          "primitiveCalls": [], "tottime": [], "cumtime": []},
            "edges": {"caller": [], "callee": [], "ncalls": [],
                      "primitiveCalls": [], "tottime": [], "cumtime": []},
        }
    order = sorted(range(count), key=keys.__getitem__)  # stable: equal keys stay in file order
    sorted_keys = list(map(keys.__getitem__, order))
    files, lines, names = zip(*sorted_keys)
    strings = dict.fromkeys(chain.from_iterable(zip(files, names)))  # in order of first use
    string_id = dict(zip(strings, count_from(0)))
    functions = {
        "file": list(map(string_id.__getitem__, files)),
        "line": list(lines),
        "name": list(map(string_id.__getitem__, names)),
        "ncalls": list(map(columns.nc.__getitem__, order)),
        "primitiveCalls": list(map(columns.cc.__getitem__, order)),
        "tottime": list(map(columns.tt.__getitem__, order)),
        "cumtime": list(map(columns.ct.__getitem__, order)),
    }
    return {"strings": list(strings), "functions": functions,
            "edges": _edges(columns, order, sorted_keys)}


def _edges(columns, order, sorted_keys):
    ncallers = columns.ncallers
    ends = list(accumulate(ncallers))
    starts = [0] + ends[:-1]
    # every edge (a position in the caller columns), grouped by callee row
    edge_at = list(chain.from_iterable(map(range, map(starts.__getitem__, order),
                                           map(ends.__getitem__, order))))
    callee = list(chain.from_iterable(map(repeat, range(len(order)),
                                          map(ncallers.__getitem__, order))))
    caller_keys = list(map(columns.caller_keys.__getitem__, edge_at))
    caller = _rows(sorted_keys, caller_keys)
    del caller_keys
    if None in caller:
        # pstats keeps a caller that has no stats entry of its own (print_callers lists it).
        # An edge needs both ends in `functions`, so such a caller is dropped here; none of
        # the profilers we know writes one.
        kept = [i for i, row in enumerate(caller) if row is not None]
        edge_at, callee, caller = ([column[i] for i in kept] for column in (edge_at, callee, caller))
    # sort by (callee, caller); the stable sort keeps equal pairs in their callers dict's order.
    # Edges come grouped by callee already, so this sort only has short runs to merge.
    rank = list(map(add, map(mul, callee, repeat(len(order))), caller))
    edge_order = sorted(range(len(rank)), key=rank.__getitem__)
    values = list(map(columns.caller_values.__getitem__, map(edge_at.__getitem__, edge_order)))
    edges = {"caller": list(map(caller.__getitem__, edge_order)),
             "callee": list(map(callee.__getitem__, edge_order))}
    if columns.has_int_callers:  # the `profile` module records a call count only
        values = [(v, None, None, None) if type(v) is int else v for v in values]
    fields = ("ncalls", "primitiveCalls", "tottime", "cumtime")
    if values:
        edges.update(zip(fields, map(list, zip(*values))))
    else:
        edges.update((field, []) for field in fields)
    return edges


def _rows(sorted_keys, caller_keys):
    """The row of each caller key (None if it has no stats entry). Equal text keys share the
    row of the first of them.
    A caller key is nearly always the very object of a function's key (a marshal back
    reference, or one text key object for equal raw keys), so it is looked up by id() first:
    an int hashes and compares at once, while hashing and comparing key tuples reads objects
    scattered over memory (a cache miss each, most of the time this function takes)."""
    count = len(sorted_keys)
    if any(map(eq, sorted_keys, islice(sorted_keys, 1, None))):  # sorted: equal keys are adjacent
        index = dict(zip(reversed(sorted_keys), range(count - 1, -1, -1)))  # the first row wins
        by_id = dict(zip(map(id, sorted_keys), map(index.__getitem__, sorted_keys)))
    else:
        index = None
        by_id = dict(zip(map(id, sorted_keys), range(count)))
    rows = list(map(by_id.get, map(id, caller_keys)))
    if None in rows:  # equal keys that are separate objects (e.g. marshal version 2 files)
        if index is None:
            index = dict(zip(sorted_keys, range(count)))
        rows = [index.get(key) if row is None else row for key, row in zip(caller_keys, rows)]
    return rows


def detect_source_format(columns, sampled):
    """Best guess of the producer, from the traces each one leaves (see fixtures/README.md).
    `columns` hold text keys: 2.7 files may store "~" as bytes or as an interned str."""
    if sampled:
        return "sampled"
    keys = columns.keys
    if columns.has_int_callers or columns.codes or PROFILE_ROOT in keys:
        return "profile"
    lines = [key[1] for key in keys]
    if any(map(gt, columns.cc, columns.nc)) or (0 in lines and any(
            line == 0 and key[0] in ("__builtin__", "builtins") for key, line in zip(keys, lines))):
        return "yappi"  # yappi keys built-ins by module; only yappi writes cc > nc
    at = -1
    try:
        while True:
            at = keys.index(PROFILER_DISABLE, at + 1)
            if columns.nc[at] > 1:
                return "merged"  # each cProfile run ends with one disable() call; pstats.add sums them
    except ValueError:  # no more of them
        pass
    if "~" in [key[0] for key in keys]:
        return "cProfile"
    return "pstats"


def guess_python_version(keys, has_code_27):
    """The most common X.Y in stdlib paths (/lib/python3.11/), else 2.7 for a 2.7 code object."""
    files = Counter(key[0] for key in keys)
    counts = {}
    for file, n in files.items():
        match = _PY_PATH.search(file)
        if match:
            counts[match.group(1)] = counts.get(match.group(1), 0) + n
    if not counts:
        return "2.7" if has_code_27 else None
    return max(sorted(counts), key=counts.__getitem__)
