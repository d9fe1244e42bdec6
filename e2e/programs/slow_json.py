"""A small program to profile: JSON round trips, the kind of hot spot people look for."""
import json
import sys


def encode(n):
    return [json.dumps({"i": i, "name": "item-%d" % i}) for i in range(n)]


def decode(lines):
    return sum(json.loads(line)["i"] for line in lines)


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    print(decode(encode(count)))
