"""The largest-remainder split over numpy arrays, for a million works at once, exactly.

:func:`allocate_groups` does for many independent splits at once (one per work, or one
over all works) what :func:`~trainclear.royalties.money.allocate` does for one, with the
same answer to the unit: floor shares, then the leftover units to the largest fractional
remainders, ties to the smallest key.

Exactness on ``int64``. Every product is bounded before it is formed, never after:

* group weight sums are formed only when ``max(weight) × rows`` fits in 63 bits;
* a group's total is split as ``a·W + b`` (``b < W``), so a row's exact share is
  ``a·w + (b·w) // W``; the only product, ``b·w``, is formed only when
  ``max(b) × max(w)`` fits; ``a·w`` is at most the total and cannot overflow;
* sums of parts never exceed their total.

When a bound does not hold, the same inputs go through the scalar path in Python
integers (slower, equally exact), so the result never depends on which path ran.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from trainclear.errors import ValidationFailed
from trainclear.royalties.money import allocate

I64 = npt.NDArray[np.int64]
LIMIT = 2**63 - 1


def as_i64(values: object) -> I64:
    """A one-dimensional ``int64`` array (a copy), refusing floats and other kinds."""
    array = np.asarray(values)
    if array.size == 0:
        return np.zeros(0, np.int64)
    if array.ndim != 1 or array.dtype.kind not in "iu":
        raise TypeError(f"expected a one-dimensional integer array, got {array.dtype}")
    if array.dtype.kind == "u" and int(array.max()) > LIMIT:
        raise ValidationFailed("royalties.too_large", field="array", value=int(array.max()))
    return np.array(array, dtype=np.int64)


def sorted_unique(values: I64) -> I64:
    """The distinct values in ascending order (by one sort; faster here than ``np.unique``)."""
    ordered = np.sort(values)
    if ordered.size < 2:
        return ordered
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]


def members(values: I64, sorted_ids: I64) -> npt.NDArray[np.bool_]:
    """Which ``values`` occur in ``sorted_ids`` (ascending, distinct), by binary search."""
    if not sorted_ids.size:
        return np.zeros(values.size, bool)
    at = np.minimum(np.searchsorted(sorted_ids, values), sorted_ids.size - 1)
    found: npt.NDArray[np.bool_] = sorted_ids[at] == values
    return found


def exact_sum(values: I64) -> int:
    """The sum of an ``int64`` array as a Python int, never wrapped around."""
    if values.size == 0:
        return 0
    bound = max(abs(int(values.max())), abs(int(values.min())))
    if bound * values.size <= LIMIT:
        return int(values.sum(dtype=np.int64))
    return sum(int(v) for v in values.tolist())


def group_sums(values: I64, group: I64, groups: int) -> I64:
    """Per-group sums of non-negative ``values`` (exact; ``np.bincount`` would go through floats).

    Refuses inputs whose sums could leave 63 bits; use :func:`sums_within` where every
    group's sum is known to be bounded by an ``int64`` (parts of a total).
    """
    if values.size and int(values.max()) * values.size > LIMIT:
        raise ValidationFailed("royalties.too_large", field="sum", value=exact_sum(values))
    return sums_within(values, group, groups)


def sums_within(values: I64, group: I64, groups: int) -> I64:
    """Per-group sums of non-negative values whose group sums are known to fit in ``int64``."""
    sums = np.zeros(groups, np.int64)
    np.add.at(sums, group, values)
    return sums


def duplicate_keys(group: I64, keys: I64) -> bool:
    """Whether some key occurs twice within one group."""
    order = np.lexsort((keys, group))
    g, k = group[order], keys[order]
    return bool(np.any((g[1:] == g[:-1]) & (k[1:] == k[:-1])))


def allocate_groups(
    totals: I64,
    group: I64,
    weights: I64,
    keys: I64,
    *,
    field: str = "weights",
    check_keys: bool = True,
) -> I64:
    """Split ``totals[g]`` over the rows with ``group == g`` in proportion to ``weights``.

    Args:
        totals: non-negative amount per group.
        group: each row's group index into ``totals`` (rows in any order).
        weights: non-negative integer weight per row.
        keys: tie-breaking key per row, distinct within a group.
        check_keys: verify that distinctness (a sort); callers that already did pass False.

    Returns:
        The part of each row, in row order; each group's parts sum exactly to its total.
    """
    n, groups = weights.size, totals.size
    if group.size != n or keys.size != n:
        raise ValueError("group, weights and keys must have one value per row")
    for values, name in ((totals, "total"), (weights, field)):
        if values.size and int(values.min()) < 0:
            raise ValidationFailed("royalties.negative", field=name, value=int(values.min()))
    if n and check_keys and duplicate_keys(group, keys):
        raise ValidationFailed("royalties.duplicate_key", field=field)
    if n == 0:
        if groups and int(totals.max()) > 0:
            raise ValidationFailed("royalties.nothing_to_allocate", field=field)
        return np.zeros(0, np.int64)
    if int(weights.max()) * n > LIMIT:
        return _scalar(totals, group, weights, keys, field)
    whole = group_sums(weights, group, groups)
    if bool(np.any((whole == 0) & (totals > 0))):
        raise ValidationFailed("royalties.nothing_to_allocate", field=field)
    safe = np.where(whole == 0, 1, whole)
    a, b = totals // safe, totals % safe
    if int(b.max()) * int(weights.max()) > LIMIT:
        return _scalar(totals, group, weights, keys, field)
    row_whole = safe[group]
    product = b[group] * weights
    parts = a[group] * weights + product // row_whole
    remainder = product % row_whole
    left = totals - sums_within(parts, group, groups)
    order = np.lexsort((keys, -remainder, group))
    starts = np.concatenate(([0], np.cumsum(np.bincount(group, minlength=groups))[:-1]))
    sorted_group = group[order]
    rank = np.arange(n, dtype=np.int64) - starts[sorted_group]
    parts[order] += (rank < left[sorted_group]).astype(np.int64)
    return parts


def _scalar(totals: I64, group: I64, weights: I64, keys: I64, field: str) -> I64:
    """The same split through :func:`allocate` in Python integers, group by group."""
    parts = np.zeros(weights.size, np.int64)
    order = np.argsort(group, kind="stable")
    bounds = np.searchsorted(group[order], np.arange(totals.size + 1))
    for g in range(totals.size):
        rows = order[bounds[g] : bounds[g + 1]]
        if rows.size == 0:
            if int(totals[g]) > 0:
                raise ValidationFailed("royalties.nothing_to_allocate", field=field)
            continue
        split = allocate(int(totals[g]), weights[rows].tolist(), keys[rows].tolist(), field=field)
        parts[rows] = split
    return parts
