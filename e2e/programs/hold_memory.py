"""Keeps memory until it ends: a cache of rows built by one function, a table by another."""
import sys

KEPT = []


def build_rows(n):
    rows = []
    for i in range(n):
        rows.append({"id": i, "name": "row-%d" % i, "tags": ["a", "b", str(i)]})
    return rows


def build_table(n):
    return [str(i) * 20 for i in range(n)]


def main(n):
    KEPT.append(build_rows(n))
    KEPT.append(build_table(n // 2))
    return sum(len(r["tags"]) for r in KEPT[0])


if __name__ == "__main__":
    print(main(int(sys.argv[1]) if len(sys.argv) > 1 else 20000))
