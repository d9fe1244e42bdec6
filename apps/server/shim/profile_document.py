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

from limits import MAX_TEXT_CHARS, MAX_TOTAL_TEXT_CHARS, MIN_ENTRY_BYTES, Limits, \
    over_expanded, too_long, too_much_text
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
    text = (to_text(key[0]), key[1], to_text(key[2]))
    if len(text[0]) > MAX_TEXT_CHARS:
        raise too_long("file path", text[0])
    if len(text[2]) > MAX_TEXT_CHARS:
        raise too_long("function name", text[2])
    return text


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


def build_document(stats, limits=None, size=None):
    """Validate `stats` (the object read from the file) and return the document as a dict.
    `limits` (limits.py; default: from the environment) bound the functions, edges and text;
    `size`, the file's length in bytes, bounds what back references may expand to. Each is
    checked before the work that grows with it: a LimitError leaves the rest unread."""
    limits = limits or Limits()
    max_entries = None if size is None else size // MIN_ENTRY_BYTES
    if type(stats) is not dict:
        raise ProfileError(
            "The top level of a pstats profile must be a dict of functions; this file holds %s."
            % _kind(stats)
        )
    sampled = SAMPLED_MARKER in stats
    total_tt = 0  # pstats starts from int 0 and adds in the dict's order: same float result
    total_calls = prim_calls = 0
    canon = {}  # raw key -> text key; a key in here has been checked (keys repeat in callers)
    entries = []  # (text key, cc, nc, tt, ct, [(caller text key, callers value)]) in file order
    has_int_callers = False
    codes = []  # code objects used as names (`python -m profile`)
    if len(stats) > limits.functions + sampled:
        raise limits.too_many_functions()
    edge_count = 0
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
        edge_count += len(callers)
        if edge_count > limits.edges:
            raise limits.too_many_edges()
        if max_entries is not None and len(stats) + edge_count > max_entries:
            raise over_expanded(size)
        edges = []
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
            edges.append((ctext, cval))
        total_tt += tt
        total_calls += nc
        prim_calls += cc
        entries.append((text_key, cc, nc, tt, ct, edges))
    return {
        "formatVersion": FORMAT_VERSION,
        "sourceFormat": detect_source_format(entries, sampled, has_int_callers, bool(codes)),
        "pythonVersion": guess_python_version(entries, any(c.layout == "2.7" for c in codes)),
        "summary": {
            "totalTime": total_tt,
            "totalCalls": total_calls,
            "primitiveCalls": prim_calls,
            "functionCount": len(entries),
        },
        **_tables(entries),
    }


def _tables(entries):
    """The function and edge tables as columns (formatVersion 2): `strings` holds every file and
    function name once, in order of first use; `functions` is sorted by (file, line, name) and
    `edges` by (callee, caller) index.
    Several raw keys can share one text key (2.7 bytes that are not UTF-8 all decode to U+FFFD):
    they stay separate functions, as in pstats, and callers point at the first of them."""
    order = sorted(range(len(entries)), key=[e[0] for e in entries].__getitem__)
    strings = {}
    f_file, f_line, f_name, f_nc, f_cc, f_tt, f_ct = [], [], [], [], [], [], []
    index = {}
    for i in order:
        key, cc, nc, tt, ct, _ = entries[i]
        file, line, name = key
        # the key object itself, not an equal new tuple: callers share it (build_document's
        # `canon`), so their lookups below compare by identity
        index.setdefault(key, len(f_line))
        f_file.append(strings.setdefault(file, len(strings)))
        f_line.append(line)
        f_name.append(strings.setdefault(name, len(strings)))
        f_nc.append(nc)
        f_cc.append(cc)
        f_tt.append(tt)
        f_ct.append(ct)
    e_caller, e_callee, e_nc, e_cc, e_tt, e_ct = [], [], [], [], [], []
    for callee, i in enumerate(order):
        found = []
        for ctext, cval in entries[i][5]:
            # pstats keeps a caller that has no stats entry of its own (print_callers lists it).
            # An edge needs both ends in `functions`, so such a caller is dropped here; none of
            # the profilers we know writes one.
            caller = index.get(ctext)
            if caller is not None:
                found.append((caller, cval))
        if len(found) > 1:
            found.sort(key=_first)
        for caller, cval in found:
            e_caller.append(caller)
            e_callee.append(callee)
            if type(cval) is int:  # the `profile` module records a call count only
                e_nc.append(cval)
                e_cc.append(None)
                e_tt.append(None)
                e_ct.append(None)
            else:
                e_nc.append(cval[0])
                e_cc.append(cval[1])
                e_tt.append(cval[2])
                e_ct.append(cval[3])
    check_text_total(strings)
    return {
        "strings": list(strings),
        "functions": {"file": f_file, "line": f_line, "name": f_name, "ncalls": f_nc,
                      "primitiveCalls": f_cc, "tottime": f_tt, "cumtime": f_ct},
        "edges": {"caller": e_caller, "callee": e_callee, "ncalls": e_nc,
                  "primitiveCalls": e_cc, "tottime": e_tt, "cumtime": e_ct},
    }


def check_text_total(strings):
    """Raise a LimitError if the distinct names and paths are too long together."""
    total = sum(map(len, strings))
    if total > MAX_TOTAL_TEXT_CHARS:
        raise too_much_text(total)


def _first(pair):
    return pair[0]


def detect_source_format(entries, sampled, has_int_callers, has_code):
    """Best guess of the producer, from the traces each one leaves (see fixtures/README.md).
    `entries` hold text keys: 2.7 files may store "~" as bytes or as an interned str."""
    if sampled:
        return "sampled"
    if has_int_callers or has_code or any(e[0] == PROFILE_ROOT for e in entries):
        return "profile"
    for (file, line, _), cc, nc, _, _, _ in entries:
        if (line == 0 and file in ("__builtin__", "builtins")) or cc > nc:
            return "yappi"  # yappi keys built-ins by module; only yappi writes cc > nc
    for key, _, nc, _, _, _ in entries:
        if key == PROFILER_DISABLE and nc > 1:
            return "merged"  # each cProfile run ends with one disable() call; pstats.add sums them
    if any(e[0][0] == "~" for e in entries):
        return "cProfile"
    return "pstats"


def guess_python_version(entries, has_code_27):
    """The most common X.Y in stdlib paths (/lib/python3.11/), else 2.7 for a 2.7 code object."""
    files = {}
    for e in entries:
        files[e[0][0]] = files.get(e[0][0], 0) + 1
    return guess_python_version_from_files(files, has_code_27)


def guess_python_version_from_files(files, has_code_27):
    """guess_python_version, from the number of functions of each file (in any order)."""
    counts = {}
    for file, n in files.items():
        match = _PY_PATH.search(file)
        if match:
            counts[match.group(1)] = counts.get(match.group(1), 0) + n
    if not counts:
        return "2.7" if has_code_27 else None
    return max(sorted(counts), key=counts.__getitem__)
