"""A fast path for the common case: a cProfile-style stats dict written by Python 3's marshal.

Contract: fast_document(data) returns EXACTLY the document that
    build_document(read_stats(data))
would return, or None. It never raises on bad input and never reports an error itself: whenever
the bytes are anything but the plain shape below, it gives up (returns None) and the caller runs
the strict path (marshal_reader.load + profile_document.build_document) from the start on the
same bytes, which then produces every error message, and handles every unusual file, as before.
Like marshal_reader, it never calls marshal.loads/pickle and checks every length before using it.

The shape it accepts (marshal version 3/4, as pstats.dump writes on Python 3):
    top:     '{' dict (FLAG_REF or not) of key -> value, ended by '0'
    key:     ')' 3-tuple (str, int, str), FLAG_REF or not, or an 'r' back reference to one
    str:     'z'/'Z'/'a'/'A' (ASCII, Latin-1 code points), 'u'/'t' that is valid UTF-8,
             or an 'r' back reference to a string
    int:     'i' (int32, FLAG_REF or not), or an 'r' back reference to an int
    value:   ')' 5-tuple (cc, nc, tt, ct, callers), not FLAG_REF'd by anything that refers back
    callers: '{' dict of key -> ')' 4-tuple (nc, cc, tt, ct)
    counts are ints >= 0, times are 'g' floats with 0.0 <= t <= max float (no NaN/inf)
Anything else (2.7 data: '(' tuples, 'R'/'t' string tables, 's' bytes; the `profile` module's
int caller values; code objects; longs; refs to anything but a finished string, int or key
tuple; duplicate keys; an empty dict; trailing bytes; a truncated file) means None.

Why it is faster than the strict path: the strict path first builds the whole stats dict of
tuples, then build_document walks it again, validates every number, canonicalises every key
through a dict lookup by tuple and sorts the edges callee by callee. Here each entry goes
straight into flat column lists while it is read (a callers entry whose key is a back
reference, the usual case, is read with one struct call), and everything after the reading
loops in C: keys map to their function's index with map(dict.get, ...), the edge table is
ordered with one sort over integer keys (callee * big + caller) of a list that is already in
callee order, and gathered with map(list.__getitem__, perm).

If a file bails late (e.g. a key twice in the stats dict, found at the end), the work done here
is wasted and the strict path's time comes on top: such files are rare and the strict path is
the one that must answer them anyway.
"""
import struct
from bisect import bisect_left, bisect_right
from functools import reduce
from itertools import chain, count, islice, repeat
from operator import add, gt, itemgetter, lt, mul

from limits import MAX_TEXT_CHARS, LimitError, Limits
from profile_document import (
    FORMAT_VERSION,
    MAX_FLOAT,
    PROFILE_ROOT,
    PROFILER_DISABLE,
    _PY_PATH,
    check_text_total,
    guess_python_version_from_files,
)

_U32 = struct.Struct("<I").unpack_from
# The 30 bytes of a ')' 4-tuple of (int, int, float, float): type code and size, two 5-byte
# ints ('i' value or 'r' index, both read unsigned here) and two 9-byte floats, with their codes.
_VALUE = struct.Struct("<BBBIBIBdBd").unpack_from
# A callers entry whose key is a back reference to a key tuple seen before (the usual case in a
# big profile) followed by its 30-byte value: 35 bytes in one call.
_REF_EDGE = struct.Struct("<BIBBBIBIBdBd").unpack_from
# A callers entry whose key is a new ')' 3-tuple of three back references (file, line, name:
# the next most frequent case, as the strings and small ints were written before) followed by
# its 30-byte value: 47 bytes in one call.
_REF_KEY_EDGE = struct.Struct("<BBBIBIBIBBBIBIBdBd").unpack_from
# A key tuple's header, then the file and the line if both are 5-byte items ('r' / 'i')
_KEY_HEAD = struct.Struct("<BBBIBI").unpack_from
_CODE_U32 = struct.Struct("<BI").unpack_from
_INT32_LIMIT = 0x80000000  # an 'i' read unsigned at or above this is a negative int32
_first, _second = itemgetter(0), itemgetter(1)


class FloatColumn(list):
    """A time column of the document: every item is a float, finite and >= 0 (checked while
    reading), which spares pstats_to_json._float_list its check of every item's type."""


class _Bail(Exception):
    """The data is not of the plain shape: the strict path must handle it."""


def fast_document(data, limits=None):
    """The document for `data` (see the module's docstring), or None. Over one of the `limits`
    (limits.py) it raises the LimitError build_document would (a name or path over the length
    limit bails instead: only the strict path knows which of the two it is)."""
    try:
        return _document(data, limits or Limits())
    except LimitError:
        raise
    except Exception:  # _Bail, IndexError/struct.error past the end, MemoryError, ...
        return None


def _document(data, limits):
    n = len(data)
    if n < 2 or data[0] & 0x7F != 0x7B:  # '{'
        return None
    # FLAG_REF objects in order, as marshal numbers them. Only finished strings, ints, floats
    # and key tuples are stored; None marks a slot nothing may refer to (a dict, a value tuple,
    # a key tuple still being read): a reference to it fails the type checks and bails.
    refs = []
    if data[0] & 0x80:
        refs.append(None)
    append_ref = refs.append
    max_functions, max_edges = limits.functions, limits.edges
    fn_key, fn_cc, fn_nc, fn_tt, fn_ct = [], [], [], [], []  # functions in file (dict) order
    fn_end = []  # for each function: len(e_key) after its callers
    e_key, e_nc, e_cc, e_tt, e_ct = [], [], [], [], []  # edges in file order
    e_key_append, e_nc_append, e_cc_append = e_key.append, e_nc.append, e_cc.append
    e_tt_append, e_ct_append = e_tt.append, e_ct.append

    def read_str(p):
        c = data[p]
        if c == 0x72:  # 'r'
            s = refs[_U32(data, p + 1)[0]]
            if type(s) is not str:
                raise _Bail
            return s, p + 5
        t = c & 0x7F
        if t == 0x7A or t == 0x5A:  # 'z' / 'Z'
            start = p + 2
            end = start + data[p + 1]
            latin = True
        elif t == 0x61 or t == 0x41 or t == 0x75 or t == 0x74:  # 'a' / 'A' / 'u' / 't'
            start = p + 5
            end = start + _U32(data, p + 1)[0]  # a negative length reads as huge: bails below
            latin = t == 0x61 or t == 0x41
        else:
            raise _Bail
        if end > n:
            raise _Bail
        # 'u'/'t' must be valid UTF-8 (else UnicodeDecodeError: bail), so that the strict
        # reader's replacement rules never apply
        s = data[start:end].decode("latin-1" if latin else "utf-8")
        if len(s) > MAX_TEXT_CHARS:
            raise _Bail
        if c & 0x80:
            append_ref(s)
        return s, end

    def read_key(p):
        """The ')' 3-tuple (file, line, name) at p, and the position after it."""
        # The file is nearly always a back reference, so its 5 bytes are read with the tuple's
        # header and the line in one call; the name, when a back reference too, inline.
        c, size, cf, file, cl, line = _KEY_HEAD(data, p)
        if c & 0x7F != 0x29 or size != 3:
            raise _Bail
        slot = -1
        if c & 0x80:
            slot = len(refs)
            append_ref(None)  # unfinished
        if cf == 0x72:
            file = refs[file]
            if type(file) is not str:
                raise _Bail
            p += 7
        else:
            file, p = read_str(p + 2)
            cl, line = _CODE_U32(data, p)
        if cl == 0x72:
            line = refs[line]
            if type(line) is not int:
                raise _Bail
        elif cl & 0x7F == 0x69:
            if line >= _INT32_LIMIT:  # read unsigned: back to the signed int32
                line -= 0x100000000
            if cl & 0x80:
                append_ref(line)
        else:
            raise _Bail
        p += 5
        if data[p] == 0x72:
            name = refs[_U32(data, p + 1)[0]]
            if type(name) is not str:
                raise _Bail
            p += 5
        else:
            name, p = read_str(p)
        key = (file, line, name)
        if slot >= 0:
            refs[slot] = key
        return key, p

    p = 1
    while True:
        c = data[p]
        if c == 0x30:  # '0' ends the stats dict
            p += 1
            break
        if c == 0x72:  # a function first seen as a caller: a back reference to its key
            key = refs[_U32(data, p + 1)[0]]
            if type(key) is not tuple:
                raise _Bail
            p += 5
        else:
            key, p = read_key(p)
        c = data[p]
        if c & 0x7F != 0x29 or data[p + 1] != 5:
            raise _Bail
        if c & 0x80:
            append_ref(None)
        _, _, ca, cc, cb, nc, cg, tt, ch, ct = _VALUE(data, p)
        # Each number: its type code, then the checks build_document makes. The branches are
        # spelled out (no helper call per number): a call costs more than the rest together.
        if ca == 0x72:
            cc = refs[cc]
            if type(cc) is not int or cc < 0:
                raise _Bail
        elif ca & 0x7F == 0x69 and cc < _INT32_LIMIT:
            if ca & 0x80:
                append_ref(cc)
        else:
            raise _Bail
        if cb == 0x72:
            nc = refs[nc]
            if type(nc) is not int or nc < 0:
                raise _Bail
        elif cb & 0x7F == 0x69 and nc < _INT32_LIMIT:
            if cb & 0x80:
                append_ref(nc)
        else:
            raise _Bail
        if cg != 0x67:
            if cg != 0xE7:
                raise _Bail
            append_ref(tt)
        if ch != 0x67:
            if ch != 0xE7:
                raise _Bail
            append_ref(ct)
        # NaN fails every comparison: one chained test covers NaN, inf and < 0
        if not (0.0 <= tt <= MAX_FLOAT and 0.0 <= ct <= MAX_FLOAT):
            raise _Bail
        fn_key.append(key)
        fn_cc.append(cc)
        fn_nc.append(nc)
        fn_tt.append(tt)
        fn_ct.append(ct)
        p += 30
        c = data[p]
        if c & 0x7F != 0x7B:
            raise _Bail
        if c & 0x80:
            append_ref(None)
        p += 1
        # The callers: ~3.5 per function in a big profile, so this loop is the hot one.
        while True:
            c = data[p]
            if c == 0x72:  # tested first: by far the most frequent
                _, k, c1, vsize, ca, a, cb, b, cg, tt, ch, ct = _REF_EDGE(data, p)
                key = refs[k]
                if type(key) is not tuple:
                    raise _Bail
                p += 35
            elif c == 0x30:
                p += 1
                break
            elif c & 0x7F == 0x29 and data[p + 2] == 0x72:
                (_, size, cf, f, cl, line, cn, name,
                 c1, vsize, ca, a, cb, b, cg, tt, ch, ct) = _REF_KEY_EDGE(data, p)
                if size == 3 and cf == 0x72 and cl == 0x72 and cn == 0x72:
                    # refs holds only finished objects here: a str equals only a str, but a
                    # float line would equal an int one, hence the one type check
                    key = (refs[f], refs[line], refs[name])
                    if type(key[1]) is not int or type(key[0]) is not str \
                            or type(key[2]) is not str:
                        raise _Bail
                    if c & 0x80:
                        append_ref(key)
                    p += 47
                else:
                    key, p = read_key(p)
                    c1, vsize, ca, a, cb, b, cg, tt, ch, ct = _VALUE(data, p)
                    p += 30
            else:
                key, p = read_key(p)
                c1, vsize, ca, a, cb, b, cg, tt, ch, ct = _VALUE(data, p)
                p += 30
            if vsize != 4:
                raise _Bail
            if c1 != 0x29:
                if c1 != 0xA9:
                    raise _Bail
                append_ref(None)
            if ca == 0x72:
                a = refs[a]
                if type(a) is not int or a < 0:
                    raise _Bail
            elif ca & 0x7F == 0x69 and a < _INT32_LIMIT:
                if ca & 0x80:
                    append_ref(a)
            else:
                raise _Bail
            if cb == 0x72:
                b = refs[b]
                if type(b) is not int or b < 0:
                    raise _Bail
            elif cb & 0x7F == 0x69 and b < _INT32_LIMIT:
                if cb & 0x80:
                    append_ref(b)
            else:
                raise _Bail
            if cg != 0x67:
                if cg != 0xE7:
                    raise _Bail
                append_ref(tt)
            if ch != 0x67:
                if ch != 0xE7:
                    raise _Bail
                append_ref(ct)
            if not (0.0 <= tt <= MAX_FLOAT and 0.0 <= ct <= MAX_FLOAT):
                raise _Bail
            e_key_append(key)
            e_nc_append(a)
            e_cc_append(b)
            e_tt_append(tt)
            e_ct_append(ct)
        fn_end.append(len(e_key))
        if len(e_key) > max_edges:
            raise limits.too_many_edges()
        if len(fn_end) > max_functions:
            raise limits.too_many_functions()
    if p != n or not fn_key:
        return None  # trailing bytes (the strict path words that error), or an empty profile
    del refs
    return _build(fn_key, fn_cc, fn_nc, fn_tt, fn_ct, fn_end, e_key, e_nc, e_cc, e_tt, e_ct)


def _build(fn_key, fn_cc, fn_nc, fn_tt, fn_ct, fn_end, e_key, e_nc, e_cc, e_tt, e_ct):
    """build_document's result from the columns in file order."""
    nf = len(fn_key)
    # functions sorted by (file, line, name), as _tables does
    order = sorted(range(nf), key=fn_key.__getitem__)
    sorted_keys = list(map(fn_key.__getitem__, order))
    rank = dict(zip(sorted_keys, range(nf)))  # key -> index in `functions`
    if len(rank) != nf:
        raise _Bail  # a key twice in the stats dict (the dict keeps one)
    files = list(map(_first, sorted_keys))  # sorted
    distinct_files = dict.fromkeys(files)
    # every string once, in order of first use: file, name, file, name, ...
    strings = dict.fromkeys(chain.from_iterable(map(itemgetter(0, 2), sorted_keys)))
    check_text_total(strings)
    strings = dict(zip(strings, count()))  # string -> its index
    f_nc = list(map(fn_nc.__getitem__, order))

    # detect_source_format with sampled, has_int_callers and has_code all False (this reader
    # bails on each of them), and the same order of tests
    if PROFILE_ROOT in rank:
        source_format = "profile"
    elif (("__builtin__" in distinct_files or "builtins" in distinct_files)
          and any(k[1] == 0 and k[0] in ("__builtin__", "builtins") for k in fn_key)) \
            or any(map(gt, fn_cc, fn_nc)):
        source_format = "yappi"
    elif PROFILER_DISABLE in rank and f_nc[rank[PROFILER_DISABLE]] > 1:
        source_format = "merged"
    elif "~" in distinct_files:
        source_format = "cProfile"
    else:
        source_format = "pstats"
    # guess_python_version counts functions per file; only the files its pattern matches
    # count, and `files` is sorted: bisect instead of counting every file
    python_version = guess_python_version_from_files(
        {f: bisect_right(files, f) - bisect_left(files, f)
         for f in distinct_files if _PY_PATH.search(f)}, False)

    # Edges, sorted by (callee, caller) index. A function's callers are contiguous in file
    # order: taking the blocks in the functions' sorted order leaves only each block's few
    # callers to sort, which Timsort does in about one pass over the nearly sorted keys.
    ne = len(e_key)
    starts = [0]
    starts += fn_end
    s_start = list(map(starts.__getitem__, order))
    s_end = list(map(fn_end.__getitem__, order))
    grouped = list(chain.from_iterable(map(range, s_start, s_end)))  # edge indexes
    callee = list(chain.from_iterable(map(repeat, range(nf), map(int.__sub__, s_end, s_start))))
    caller = list(map(rank.get, map(e_key.__getitem__, grouped), repeat(-1)))
    big = nf + 1
    sort_key = list(map(add, map(mul, callee, repeat(big)), caller))
    if ne and min(caller) < 0:
        # callers without a stats entry of their own are dropped (see _tables)
        kept = [j for j in range(ne) if caller[j] >= 0]
    else:
        kept = range(ne)
    within = sorted(kept, key=sort_key.__getitem__)  # indexes into `grouped`
    in_order = gather(sort_key, within)
    if not all(map(lt, in_order, islice(in_order, 1, None))):
        # two equal keys: a caller twice in one callers dict, where the dict keeps one (the
        # first position, the last value). A dropped caller twice makes no difference.
        raise _Bail
    perm = gather(grouped, within)  # edge indexes in output order

    return {
        "formatVersion": FORMAT_VERSION,
        "sourceFormat": source_format,
        "pythonVersion": python_version,
        "summary": {
            # pstats starts from int 0 and adds in the dict's order; sum() of floats may round
            # differently (3.12 compensates)
            "totalTime": reduce(add, fn_tt, 0),
            "totalCalls": sum(fn_nc),
            "primitiveCalls": sum(fn_cc),
            "functionCount": nf,
        },
        "strings": list(strings),
        "functions": {"file": list(map(strings.__getitem__, files)),
                      "line": list(map(_second, sorted_keys)),
                      "name": list(map(strings.__getitem__, map(itemgetter(2), sorted_keys))),
                      "ncalls": f_nc,
                      "primitiveCalls": gather(fn_cc, order),
                      "tottime": FloatColumn(map(fn_tt.__getitem__, order)),
                      "cumtime": FloatColumn(map(fn_ct.__getitem__, order))},
        "edges": {"caller": gather(caller, within), "callee": gather(callee, within),
                  "ncalls": gather(e_nc, perm), "primitiveCalls": gather(e_cc, perm),
                  "tottime": FloatColumn(map(e_tt.__getitem__, perm)),
                  "cumtime": FloatColumn(map(e_ct.__getitem__, perm))},
    }


def gather(column, index):
    """[column[i] for i in index], looping in C."""
    return list(map(column.__getitem__, index))
