"""A program whose hot spot lies deeper than the charts' default depth: a call chain fifteen
functions deep (each its own function, so no recursion is folded) ends in a busy loop, beside
a light call near the top."""
import sys


def busy(n):
    total = 0
    for i in range(n):
        total += i * i % 7
    return total


def step15(n):
    return busy(n)


def step14(n):
    return step15(n)


def step13(n):
    return step14(n)


def step12(n):
    return step13(n)


def step11(n):
    return step12(n)


def step10(n):
    return step11(n)


def step09(n):
    return step10(n)


def step08(n):
    return step09(n)


def step07(n):
    return step08(n)


def step06(n):
    return step07(n)


def step05(n):
    return step06(n)


def step04(n):
    return step05(n)


def step03(n):
    return step04(n)


def step02(n):
    return step03(n)


def step01(n):
    return step02(n)


def light(n):
    return sum(range(n))


def main(n):
    light(n // 50)
    return step01(n)


if __name__ == "__main__":
    print(main(int(sys.argv[1]) if len(sys.argv) > 1 else 400000))
