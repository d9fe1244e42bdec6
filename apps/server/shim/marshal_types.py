"""Values the marshal reader returns besides plain Python objects, and text decoding.

CODE_LAYOUTS describes a code object ('c') as each CPython version writes it (Python/marshal.c,
w_object for code objects): some raw int32 fields, then objects up to co_firstlineno (a raw
int32), then a few more objects. No header in the data says which version wrote it.
"""


class CodeObject(object):
    """The parts of a code object that pstats shows. `python -m profile -o` stores the
    script's module code object inside a stats key; pstats prints it with "%s"."""

    __slots__ = ("name", "filename", "firstlineno", "layout")

    def __init__(self, name, filename, firstlineno, layout):
        self.name, self.filename, self.firstlineno, self.layout = name, filename, firstlineno, layout

    def __str__(self):
        # CPython's repr without the " at 0x..." memory address, which changes on every run.
        return '<code object %s, file "%s", line %d>' % (self.name, self.filename, self.firstlineno)

    __repr__ = __str__

    def _key(self):
        return (self.name, self.filename, self.firstlineno)

    def __eq__(self, other):
        return isinstance(other, CodeObject) and self._key() == other._key()

    def __ne__(self, other):
        return not self == other

    def __hash__(self):
        return hash(self._key())


class Marker(object):
    """Stand-in for marshal singletons a profile never needs (Ellipsis, StopIteration, slices)."""

    def __init__(self, label):
        self.label = label

    def __repr__(self):
        return self.label


UNSET = Marker("<unfinished>")  # a reserved FLAG_REF slot whose object is still being read
ELLIPSIS = Marker("Ellipsis")
STOP = Marker("StopIteration")


def decode_text(raw):
    """UTF-8 text from marshal bytes, never raising. A lone surrogate is kept as it was stored
    (the JSON writer escapes it as \\udXXX, which JSON.parse reads back exactly)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        # 3.x writes strings holding lone surrogates with "surrogatepass"
        return raw.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        return raw.decode("utf-8", "replace")  # 2.7 byte strings need not be UTF-8


# (name, leading raw int32 fields, object fields up to firstlineno, object fields after it),
# in the order they are tried. kinds: b = bytes ('s'), t = tuple, s = text (str, or bytes for
# 2.7 names). The object fields, in order:
#   2.7 - 3.10  co_code consts names varnames freevars cellvars filename name | lnotab/linetable
#   3.11 - 3.13 co_code consts names localsplusnames localspluskinds filename name qualname |
#               linetable exceptiontable
# Int fields: 2.7 argcount nlocals stacksize flags; 3.0-3.7 adds kwonlyargcount; 3.8-3.10 adds
# posonlyargcount; 3.11 drops nlocals.
CODE_LAYOUTS = (
    ("3.11", 5, "btttbsss", "bb"),  # 3.11-3.13: localsplusnames/kinds, qualname, exceptiontable
    ("3.8", 6, "btttttss", "b"),  # 3.8-3.10: posonlyargcount added
    ("3.6", 5, "btttttss", "b"),  # 3.6-3.7 (also 3.0-3.5)
    ("2.7", 4, "btttttss", "b"),
)
KIND_TYPES = {"b": (bytes,), "t": (tuple,), "s": (str, bytes)}
