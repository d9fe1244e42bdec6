"""Merge several loaded pstats dicts the way `pstats.Stats(a).add(b, c, ...)` does.

What pstats does (Lib/pstats.py, the same in 2.7 and 3.x):
- `add(*arg_list)` walks `reversed(arg_list)`: Stats(a).add(b, c) adds c, then b, to a. The
  order matters for float sums (a + c + b is not a + b + c in the last bits) and for the
  merged dict's order, which is the order a dumped and reloaded file sums `total_tt` in. So
  the inputs are folded in the order a, then the rest last to first.
- add_func_stats: equal keys sum cc, nc, tt and ct; the callers dicts are combined.
- add_callers: a (caller, callee) pair in both sums its values. cProfile's 4-tuples
  (nc, cc, tt, ct) are summed element-wise; the `profile` module's bare call counts are added.
  A tuple meeting a count for the same pair is a TypeError in pstats (tuple + int, or zip over
  an int): we refuse it with a message instead. Tuples and counts for different pairs mix
  freely, as in pstats.

Where this differs from pstats, on purpose:
- Keys are compared after turning Python 2.7 byte strings that are valid UTF-8 into text, so
  that a 2.7 profile and a 3.x one of the same program share functions (Python 2.7 itself
  compares an ASCII str equal to the same unicode). Other bytes stay bytes.
- `{}` (a profile of nothing) merges as nothing; pstats refuses to load it.
- CPython 3.15's sampled profiles are refused: their `("__sampled__",)` marker is not a stats
  entry, and pstats fails on it too.
"""
from profile_document import SAMPLED_MARKER, ProfileError, describe


def merge_stats(stats_list, label=None):
    """The merged dict of `pstats.Stats(stats_list[0]).add(*stats_list[1:])`.
    `label(i)` names input i in error messages, which read "<label> cannot be merged…"."""
    label = label or (lambda i: "file %d" % (i + 1))
    for i, stats in enumerate(stats_list):
        if SAMPLED_MARKER in stats:
            raise ProfileError(
                "%s cannot be merged: it is a sampled profile (CPython 3.15's sampling profiler), "
                "which pstats cannot merge either; upload it as a run of its own." % label(i)
            )
    order = [0] + list(range(len(stats_list) - 1, 0, -1))
    merged = {}
    for i in order:
        norm = _Normalizer()
        for raw_key, (cc, nc, tt, ct, raw_callers) in stats_list[i].items():
            key = norm.key(raw_key)
            callers = {}
            for raw_ckey, cval in raw_callers.items():
                ckey = norm.key(raw_ckey)
                # Only 2.7 keys can collide once normalized; sum them like equal keys.
                callers[ckey] = _add_caller(callers[ckey], cval, ckey, key, label(i)) \
                    if ckey in callers else cval
            old = merged.get(key)
            if old is None:
                merged[key] = (cc, nc, tt, ct, callers)
                continue
            o_cc, o_nc, o_tt, o_ct, o_callers = old
            new_callers = dict(o_callers)
            for ckey, cval in callers.items():
                if ckey in new_callers:
                    new_callers[ckey] = _add_caller(new_callers[ckey], cval, ckey, key, label(i))
                else:
                    new_callers[ckey] = cval
            merged[key] = (cc + o_cc, nc + o_nc, tt + o_tt, ct + o_ct, new_callers)
    return merged


def _add_caller(target, source, caller, callee, where):
    """pstats.add_callers for one pair: `source + target`, element-wise for tuples."""
    if type(source) is tuple and type(target) is tuple:
        return tuple(s + t for s, t in zip(source, target))
    if type(source) is not tuple and type(target) is not tuple:
        return source + target
    raise ProfileError(
        "%s cannot be merged with the others: it records the calls from %s to %s as %s, another "
        "file as %s (pstats cannot add a profile-module file to a cProfile one either)."
        % (where, describe(caller), describe(callee),
           "timings (cProfile)" if type(source) is tuple else "a bare count (the profile module)",
           "timings (cProfile)" if type(target) is tuple else "a bare count (the profile module)")
    )


class _Normalizer(object):
    """Key parts that are 2.7 byte strings holding valid UTF-8 become text (see above)."""

    def __init__(self):
        self._keys = {}

    def key(self, raw):
        found = self._keys.get(raw)
        if found is None:
            found = self._keys[raw] = (_text(raw[0]), raw[1], _text(raw[2]))
        return found


def _text(part):
    if type(part) is bytes:
        try:
            return part.decode("utf-8")
        except UnicodeDecodeError:
            return part
    return part
