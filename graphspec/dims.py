"""Named dimensions: sizes a spec leaves to the data (`shape: [T, 128]`) and the sizes layers derive from them.

A `SymDim` is a polynomial in the names with integer coefficients (T - 2, 2 * T, H * W, 16 * h), every name a
whole number >= 1. That is all the layer rules need: they add, subtract and multiply sizes, and divide them where
a window steps. A tiny class rather than sympy: sympy is a 6 MB dependency (imported in about a second) whose
symbols also answer questions these rules must never get wrong answers to, such as floor(T / 2), where a small
class simply refuses. An operation whose result is not such a polynomial (T // 2, for T not known to be even) or a
comparison the names leave open (T - 2 > 0) raises `Inexpressible`, a TypeError: the checker then computes the
layer again with the names as unknown sizes (None), so a rule that cannot express a result degrades to None,
never to a wrong number. A SymDim is never equal to a number: like None, T is not known to be 5.
dim_rules.py holds what the rules ask of sizes; named_shape.py reads them from a spec; dim_binding.py binds them
to the arrays of a run.
"""
from __future__ import annotations

import math
from typing import Union

Term = tuple[str, ...]  # a product of names, sorted; () is the constant term


class Inexpressible(TypeError):
    """Not a polynomial of the names with integer coefficients, or a comparison the names do not decide."""


class SymDim:
    __slots__ = ("terms", "_hash")

    def __init__(self, terms: dict[Term, int]):
        self.terms = dict(sorted(terms.items(), key=lambda item: (-len(item[0]), item[0])))
        self._hash = hash(tuple(self.terms.items()))

    @classmethod
    def named(cls, name: str) -> "SymDim":
        return cls({(name,): 1})

    @staticmethod
    def make(terms: dict[Term, int]) -> "Size":
        """A SymDim, or the plain int where no name is left (T - T + 3 is 3)."""
        kept = {term: c for term, c in terms.items() if c}
        if set(kept) <= {()}:
            return kept.get((), 0)
        return SymDim(kept)

    @property
    def names(self) -> set[str]:
        return {name for term in self.terms for name in term}

    @property
    def constant(self) -> int:
        return self.terms.get((), 0)

    # --- arithmetic -----------------------------------------------------------------------------------------------
    def __add__(self, other):
        if not _is_size(other):
            return NotImplemented
        terms = dict(self.terms)
        for term, c in _terms(other).items():
            terms[term] = terms.get(term, 0) + c
        return SymDim.make(terms)

    __radd__ = __add__

    def __neg__(self):
        return SymDim({term: -c for term, c in self.terms.items()})

    def __pos__(self):
        return self

    def __sub__(self, other):
        return self + (-other) if _is_size(other) else NotImplemented

    def __rsub__(self, other):
        return (-self) + other if _is_size(other) else NotImplemented

    def __mul__(self, other):
        if not _is_size(other):
            return NotImplemented
        terms: dict[Term, int] = {}
        for t1, c1 in self.terms.items():
            for t2, c2 in _terms(other).items():
                term = tuple(sorted(t1 + t2))
                terms[term] = terms.get(term, 0) + c1 * c2
        return SymDim.make(terms)

    __rmul__ = __mul__

    def __floordiv__(self, k):
        """Exact where every coefficient of a name divides by k: (4 * h + 1) // 2 is 2 * h."""
        self._divisor(k)
        return SymDim.make({term: c // k for term, c in self.terms.items()})

    def __truediv__(self, k):
        """Exact division only: 16 * h / 2 is 8 * h; T / 2 is not a whole number for every T."""
        self._divisor(k)
        if self.constant % k:
            raise Inexpressible(f"{self} / {k} is not a whole number for every {names_text(self)}")
        return self // k

    def __mod__(self, k):
        self._divisor(k)
        return self.constant % k

    def _divisor(self, k) -> None:
        if not isinstance(k, int) or isinstance(k, bool) or k <= 0:
            raise Inexpressible(f"{self} divided by {k!r}")
        if any(c % k for term, c in self.terms.items() if term):
            raise Inexpressible(f"{self} is not known to divide by {k}")

    def __ceil__(self):
        return self

    __floor__ = __trunc__ = __round__ = __ceil__

    def __rfloordiv__(self, other):
        raise Inexpressible(f"{other} // {self}")

    __rtruediv__ = __rmod__ = __pow__ = __rpow__ = __rfloordiv__

    def __int__(self):
        raise Inexpressible(f"{self} is not a fixed number")

    __index__ = __float__ = __int__

    # --- comparisons: decided for every value of the names (each >= 1), or refused ------------------------------
    def bounds(self) -> tuple[float, float]:
        """The least and greatest values over names >= 1 (-inf or inf where unbounded)."""
        signs = {c > 0 for term, c in self.terms.items() if term}
        at_one = sum(self.terms.values())  # every name 1: each product of names is 1
        if signs == {True}:
            return at_one, math.inf
        if signs == {False}:
            return -math.inf, at_one
        return -math.inf, math.inf

    def _decide(self, other, holds, fails) -> bool:
        if not _is_size(other):
            return NotImplemented
        low, high = SymDim._bounds_of(self - other)
        if holds(low, high):
            return True
        if fails(low, high):
            return False
        raise Inexpressible(f"whether {self} compared with {other} holds depends on {names_text(self)}")

    @staticmethod
    def _bounds_of(size) -> tuple[float, float]:
        return size.bounds() if isinstance(size, SymDim) else (size, size)

    def __lt__(self, other):
        return self._decide(other, lambda lo, hi: hi < 0, lambda lo, hi: lo >= 0)

    def __le__(self, other):
        return self._decide(other, lambda lo, hi: hi <= 0, lambda lo, hi: lo > 0)

    def __gt__(self, other):
        return self._decide(other, lambda lo, hi: lo > 0, lambda lo, hi: hi <= 0)

    def __ge__(self, other):
        return self._decide(other, lambda lo, hi: lo >= 0, lambda lo, hi: hi < 0)

    def __bool__(self):
        low, high = self.bounds()
        if low > 0 or high < 0:
            return True
        raise Inexpressible(f"whether {self} is 0 depends on {names_text(self)}")

    def __eq__(self, other):
        return isinstance(other, SymDim) and self.terms == other.terms

    def __hash__(self):
        return self._hash

    # --- values and text -----------------------------------------------------------------------------------------
    def evaluate(self, values: dict[str, int]) -> int:
        return sum(c * math.prod(values[name] for name in term) for term, c in self.terms.items())

    def linear_in(self) -> str | None:
        """The one name of `a * N + b` (a != 0), which a size in an array fixes; None for anything else."""
        names = [term for term in self.terms if term]
        return names[0][0] if len(names) == 1 and len(names[0]) == 1 else None

    def __format__(self, spec: str) -> str:
        parts = []
        for term, c in self.terms.items():
            size = format(abs(c), spec)
            word = " * ".join(term) if term else size
            text = word if not term or abs(c) == 1 else f"{size} * {word}"
            parts.append(("- " if c < 0 else "+ ") + text)
        first = parts[0]
        return (first[2:] if first.startswith("+") else "-" + first[2:]) + "".join(f" {p}" for p in parts[1:])

    def __str__(self):
        return format(self, "")

    def __repr__(self):
        return f"SymDim('{self}')"


Size = Union[int, SymDim]


def _is_size(value) -> bool:
    return isinstance(value, SymDim) or (isinstance(value, int) and not isinstance(value, bool))


def _terms(size: Size) -> dict[Term, int]:
    return size.terms if isinstance(size, SymDim) else {(): size}


def names_text(size: SymDim) -> str:
    return ", ".join(sorted(size.names))
