"""A strict reader for the subset of Python's marshal format that pstats files use.

Why not `marshal.loads`: the docs call it unsafe on crafted data (it recurses up to 2000 levels
in C and allocates whatever a length field claims), and Python 3's marshal cannot read Python
2.7 files at all (2.7 writes repeated interned strings as 'R' back references, a code 3.x
dropped). This reader accepts marshal versions 0-4 as written by Python 2.7 and 3.6-3.13:

- a length field larger than the bytes left is rejected before anything is allocated;
- nesting is limited by an explicit depth counter (MAX_DEPTH), far below Python's recursion
  limit, so a parser bomb ends with MarshalError, never RecursionError;
- FLAG_REF (0x80) / 'r' back references of 3.4+ and 't' / 'R' interned strings of 2.7;
- code objects ('c', found in stats keys written by `python -m profile`) for 2.7 and every 3.x
  layout. marshal data has no version header, so each known layout (marshal_types.py) is
  tried in turn and the first that parses with the right field types wins (see read_code).

Text: 's' is returned as bytes (a 2.7 str, or a 3.x bytes object such as co_code); the caller
decodes it. Every other string type is returned as str, decoded as UTF-8. Lone surrogates
(3.x 'u' strings may hold them) are kept (the JSON writer escapes them); invalid UTF-8 (2.7
't' strings are bytes) becomes U+FFFD.
"""
import struct

from marshal_types import (
    CODE_LAYOUTS,
    ELLIPSIS,
    KIND_TYPES,
    STOP,
    UNSET,
    CodeObject,
    Marker,
    decode_text,
)

MAX_DEPTH = 100
# A long ('l') with more 15-bit digits than this is not a call count or a line number.
MAX_LONG_DIGITS = 10000
# Wrong code-object layouts tried before giving up (a real file needs at most 3).
MAX_CODE_FAILURES = 16

_I32 = struct.Struct("<i").unpack_from
_U32 = struct.Struct("<I").unpack_from  # a back reference index: a negative one reads as >= 2**31
_I64 = struct.Struct("<q").unpack_from
_F64 = struct.Struct("<d").unpack_from
_F64X2 = struct.Struct("<dd").unpack_from
_F64_F64 = struct.Struct("<dxd").unpack_from  # two 'g' floats in a row: skips the second code
_IXIXDXD = struct.Struct("<ixixdxd").unpack_from  # int, int, float, float, skipping type codes


class MarshalError(ValueError):
    """The data is not marshal data we accept. The message is meant for a person."""


class TruncatedError(MarshalError):
    pass


class DepthError(MarshalError):
    """Nesting deeper than MAX_DEPTH: a parser bomb, whatever else the bytes look like."""


def load(data, max_depth=MAX_DEPTH):
    """Read one marshal object from `data` (bytes) and check nothing follows it."""
    n = len(data)
    refs = []  # FLAG_REF objects, in the order their type bytes appear
    interned = []  # 2.7 't' strings, for 'R' back references
    layouts = list(CODE_LAYOUTS)
    failures = 0  # code-object layout attempts that did not parse
    pos = 0

    def fail(msg, at):
        raise MarshalError("%s at byte %d." % (msg, at))

    def take(size):
        nonlocal pos
        if size < 0:
            fail("The profile data has a negative length", pos - 4)
        if size > n - pos:
            raise TruncatedError("The file ends in the middle of the profile data (truncated?).")
        start = pos
        pos += size
        return data[start:pos]

    def read_i32():
        nonlocal pos
        start = pos
        pos += 4
        return _I32(data, start)[0]

    def bad_ref(at):
        fail("The profile data has an invalid back reference", at)

    def ref_at(k, at):
        """The object of back reference `k`, read at byte `at`."""
        if k < 0 or k >= len(refs) or refs[k] is UNSET:
            bad_ref(at)
        return refs[k]

    def r(depth):
        nonlocal pos
        start = pos
        code = data[pos]  # IndexError at the end of data: load() reports it as truncation
        if code & 0x7F == 0x29:  # ')' small tuple, the most frequent container
            return read_small_tuple(depth)
        pos += 1
        idx = -1
        if code & 0x80:
            code &= 0x7F
            idx = len(refs)
            refs.append(UNSET)
        if code == 0x72:  # 'r'
            try:
                v = refs[_U32(data, pos)[0]]
            except IndexError:
                bad_ref(start)
            if v is UNSET:
                bad_ref(start)
            pos += 4
            return v
        if code == 0x7B:  # '{' dict: key/value pairs up to a NULL key
            if depth >= max_depth:
                too_deep()
            v = {}
            if idx >= 0:
                refs[idx] = v
            read_dict(v, depth + 1, start)
            return v
        if code == 0x28:  # '(' tuple
            size = read_i32()
            if size < 0 or size > n - pos:
                check_size(size, start)
            if depth >= max_depth:
                too_deep()
            v = tuple(read_items(size, depth + 1))
        elif code == 0x67:  # 'g' binary float
            v = _F64(data, pos)[0]
            pos += 8
        elif code == 0x69:  # 'i'
            v = read_i32()
        elif code == 0x7A or code == 0x5A:  # 'z' / 'Z' short ASCII (interned)
            size = data[pos]
            pos += 1
            v = take(size).decode("latin-1")  # CPython stores these bytes as Latin-1 code points
        elif code == 0x61 or code == 0x41:  # 'a' / 'A' ASCII (interned)
            v = take(read_i32()).decode("latin-1")
        elif code == 0x75 or code == 0x74:  # 'u' unicode, 't' interned (2.7: bytes; 3.x: UTF-8)
            v = decode_text(take(read_i32()))
            if code == 0x74:
                interned.append(v)
        elif code == 0x52:  # 'R' (2.7) reference to the k-th interned string
            k = read_i32()
            if not 0 <= k < len(interned):
                fail("The profile data has an invalid string reference", start)
            v = interned[k]
        elif code == 0x73:  # 's' bytes (a 2.7 str)
            v = take(read_i32())
        elif code == 0x5B or code == 0x3C or code == 0x3E:  # '[' list, '<' set, '>' frozenset
            size = read_i32()
            check_size(size, start)
            if depth >= max_depth:
                too_deep()
            items = read_items(size, depth + 1)
            if code == 0x5B:
                v = items
            else:
                try:
                    v = frozenset(items)
                except TypeError:
                    fail("The profile data has a set of unhashable items", start)
        elif code == 0x4E:  # 'N'
            v = None
        elif code == 0x54:  # 'T'
            v = True
        elif code == 0x46:  # 'F'
            v = False
        elif code == 0x2E:  # '.'
            v = ELLIPSIS
        elif code == 0x53:  # 'S'
            v = STOP
        elif code == 0x49:  # 'I' int64 (2.7)
            v = _I64(data, pos)[0]
            pos += 8
        elif code == 0x6C:  # 'l' long: signed digit count, then 15-bit digits, least first
            v = read_long(start)
        elif code == 0x66:  # 'f' float as text (marshal versions 0 and 1)
            v = read_text_float(start)
        elif code == 0x79:  # 'y' binary complex
            re_, im = _F64X2(data, pos)
            pos += 16
            v = complex(re_, im)
        elif code == 0x78:  # 'x' complex as text
            v = complex(read_text_float(start), read_text_float(start))
        elif code == 0x63:  # 'c' code object
            if depth >= max_depth:
                too_deep()
            v = read_code(depth, start)
        elif code == 0x3A:  # ':' slice (3.14 code constants)
            if depth >= max_depth:
                too_deep()
            for _ in range(3):
                r(depth + 1)
            v = Marker("slice")
        elif code == 0x30:  # '0' NULL: only valid as the end of a dict, handled there
            fail("The profile data has a missing value", start)
        else:
            fail("This is not a pstats profile: unknown marshal type code 0x%02x" % code, start)
        if idx >= 0:
            refs[idx] = v
        return v

    def read_dict(v, depth, start):
        """Key/value pairs into the dict `v` up to the NULL code. Keys and values are nearly
        always small tuples or back references: those skip the dispatch in r()."""
        nonlocal pos
        while True:
            code = data[pos]
            if code == 0x30:  # '0' (NULL) ends the dict
                break
            if code & 0x7F == 0x29:
                key = read_small_tuple(depth)
            elif code == 0x72:
                try:
                    key = refs[_U32(data, pos + 1)[0]]
                except IndexError:
                    bad_ref(pos)
                if key is UNSET:
                    bad_ref(pos)
                pos += 5
            else:
                key = r(depth)
            code = data[pos]
            if code & 0x7F == 0x29:
                value = read_small_tuple(depth)
            elif code == 0x72:
                try:
                    value = refs[_U32(data, pos + 1)[0]]
                except IndexError:
                    bad_ref(pos)
                if value is UNSET:
                    bad_ref(pos)
                pos += 5
            else:
                value = r(depth)
            try:
                v[key] = value
            except TypeError:
                fail("The profile data uses a list, dict or set as a dict key", start)
        pos += 1

    def read_small_tuple(depth):
        """The ')' tuple at pos: a stats key (file, line, name), a stats value (cc, nc, tt, ct,
        callers) or a callers value (nc, cc, tt, ct), some million of them in a big profile.
        The items, nearly all back references, floats, ints and short strings, are read inline
        with `pos` in a local variable: a call of r() per item would double the time spent."""
        nonlocal pos
        start = pos
        idx = -1
        if data[start] & 0x80:
            idx = len(refs)
            refs.append(UNSET)
        size = data[start + 1]
        p = start + 2
        if size > n - p:
            check_size(size, start)
        if depth >= max_depth:
            too_deep()
        items = []
        left = size
        if size >= 4 and p + 28 <= n and data[p + 10] == 0x67 and data[p + 19] == 0x67:
            # A stats value (cc, nc, tt, ct, callers) or a callers value (nc, cc, tt, ct) starts
            # with two ints (or back references to ints) and two floats, 28 bytes that one
            # unpack_from reads. Only with all 28 bytes present: a cut file must fail like below.
            c1 = data[p]
            c2 = data[p + 5]
            if (c1 == 0x72 or c1 & 0x7F == 0x69) and (c2 == 0x72 or c2 & 0x7F == 0x69):
                a, b, tt, ct = _IXIXDXD(data, p + 1)
                if c1 == 0x72:
                    a = ref_at(a, p)
                elif c1 & 0x80:
                    refs.append(a)
                if c2 == 0x72:
                    b = ref_at(b, p + 5)
                elif c2 & 0x80:
                    refs.append(b)
                items = [a, b, tt, ct]
                p += 28
                left -= 4
        append = items.append
        extend = items.extend
        while left:
            left -= 1  # items left after this one
            code = data[p]
            if code == 0x72:  # 'r'
                try:
                    v = refs[_U32(data, p + 1)[0]]
                except IndexError:
                    bad_ref(p)
                if v is UNSET:
                    bad_ref(p)
                append(v)
                p += 5
            elif code == 0x67:  # 'g'
                if left and data[p + 9] == 0x67:  # tottime, cumtime: both floats in one call
                    extend(_F64_F64(data, p + 1))
                    p += 18
                    left -= 1
                else:
                    append(_F64(data, p + 1)[0])
                    p += 9
            elif code & 0x7F == 0x69:  # 'i', FLAG_REF or not: nothing inside can refer to it
                v = _I32(data, p + 1)[0]
                if code & 0x80:
                    refs.append(v)
                append(v)
                p += 5
            elif code & 0x5F == 0x5A:  # 'z' / 'Z' short ASCII, FLAG_REF or not
                end = p + 2 + data[p + 1]
                if end > n:
                    raise TruncatedError(
                        "The file ends in the middle of the profile data (truncated?).")
                v = data[p + 2:end].decode("latin-1")
                if code & 0x80:
                    refs.append(v)
                append(v)
                p = end
            else:
                pos = p
                append(r(depth + 1))
                p = pos
        pos = p
        v = tuple(items)
        if idx >= 0:
            refs[idx] = v
        return v

    def read_items(size, depth):
        """`size` objects. Back references and floats, most of a profile's objects, are read
        inline: a function call per object would double the time spent here."""
        nonlocal pos
        items = []
        append = items.append
        for _ in range(size):
            code = data[pos]
            if code == 0x72:  # 'r'
                try:
                    v = refs[_U32(data, pos + 1)[0]]
                except IndexError:
                    bad_ref(pos)
                if v is UNSET:
                    bad_ref(pos)
                append(v)
                pos += 5
            elif code == 0x67:  # 'g'
                append(_F64(data, pos + 1)[0])
                pos += 9
            else:
                append(r(depth))
        return items

    def check_size(size, start):
        if size < 0:
            fail("The profile data has a negative length", start)
        if size > n - pos:  # every item takes at least one byte
            raise TruncatedError("The file ends in the middle of the profile data (truncated?).")

    def too_deep():
        raise DepthError(
            "The profile data is nested more than %d levels deep: this is not a profile." % max_depth
        )

    def read_long(start):
        nonlocal pos
        ndigits = read_i32()
        count = abs(ndigits)
        if count > MAX_LONG_DIGITS:
            fail("The profile contains an absurdly large integer", start)
        raw = take(2 * count)
        digits = struct.unpack("<%dH" % count, raw)
        value = 0
        for d in reversed(digits):
            if d >= 0x8000:
                fail("The profile data has a malformed integer", start)
            value = (value << 15) | d
        if count and digits[-1] == 0:
            fail("The profile data has a malformed integer", start)
        return -value if ndigits < 0 else value

    def read_text_float(start):
        nonlocal pos
        size = data[pos]
        pos += 1
        try:
            return float(take(size).decode("ascii"))
        except (UnicodeDecodeError, ValueError):
            fail("The profile data has a malformed number", start)

    def read_code(depth, start):
        """Parse a code object. Its layout depends on the writer's Python version, which the
        data does not state: try the layouts whose co_code (bytes 's', or an 'r' reference to
        identical bytecode) sits where the layout puts it, and check every field's type. All
        code objects of a file come from one interpreter, so the first layout that works is the
        only one tried afterwards; failed attempts are capped so that crafted nesting cannot
        make this exponential."""
        nonlocal pos, failures
        body = pos
        nrefs, ninterned = len(refs), len(interned)
        truncated = False
        for layout in list(layouts):
            name, nints, before, after = layout
            at = body + 4 * nints
            if at >= n or data[at] & 0x7F not in (0x73, 0x72):  # co_code: 's' or a 'r' reference
                continue
            pos = at
            try:
                fields = [r(depth + 1) for _ in before]
                firstlineno = read_i32()
                fields += [r(depth + 1) for _ in after]
            except DepthError:
                raise
            except (TruncatedError, IndexError, struct.error):
                fields, truncated = None, True
            except MarshalError:
                fields = None
            if fields is not None and all(
                isinstance(f, KIND_TYPES[k]) for f, k in zip(fields, before + after)
            ):
                layouts[:] = [layout]
                nameidx = 6 if name == "3.11" else 7
                text = [
                    decode_text(f) if isinstance(f, bytes) else f
                    for f in (fields[nameidx], fields[nameidx - 1])
                ]
                return CodeObject(text[0], text[1], firstlineno, name)
            del refs[nrefs:]
            del interned[ninterned:]
            failures += 1
            if failures > MAX_CODE_FAILURES:
                break
        if truncated:
            raise TruncatedError("The file ends in the middle of the profile data (truncated?).")
        fail("The profile contains a code object in a format this reader does not know", start)

    try:
        obj = r(0)
    except (IndexError, struct.error):
        raise TruncatedError("The file ends in the middle of the profile data (truncated?).")
    if pos != n:
        raise MarshalError(
            "The file has %d unexpected bytes after the profile data (byte %d on)." % (n - pos, pos)
        )
    return obj
