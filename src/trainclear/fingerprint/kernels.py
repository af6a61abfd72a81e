"""Compiled inner loops of the text matcher (numba, ``nopython``, cached on disk).

These functions are typed by numba at compile time, not by mypy (see pyproject).

``sample_ngrams`` folds a text's code points through the fold table and, in the same
pass, hashes every window of ``K = 13`` folded characters, keeping about one window in
``2**sample_bits`` by its hash value (content-defined sampling: the same n-gram is kept
in a work and in any copy of it, whatever surrounds it). ``match_shards`` looks a
record's sampled keys up in the sorted index shards and ``chain_hits`` turns index
hits into evidence spans: hits of one work that follow each other closely in the record
and stay on one alignment diagonal (record position − work position, allowing for drift
from edits) are chained; a chain is only evidence when it scores enough.
"""

from __future__ import annotations

import numpy as np
from numba import njit

U64 = np.uint64
K = 13
"""Characters per n-gram: a 64-bit hash shifted 5 bits per character forgets the 14th."""
_STEP = U64(5)
_GOLD = U64(0x9E3779B97F4A7C15)
_M1 = U64(0xBF58476D1CE4E5B9)
_M2 = U64(0x94D049BB133111EB)


@njit(cache=True, nogil=True)
def _mix(z: np.uint64) -> np.uint64:  # splitmix64 finaliser
    z = (z ^ (z >> U64(30))) * _M1
    z = (z ^ (z >> U64(27))) * _M2
    return z ^ (z >> U64(31))


@njit(cache=True, nogil=True, boundscheck=False)
def sample_ngrams(cps, single, offsets, lengths, chars, sample_bits, cap):
    """Sampled n-grams of one text, in one branch-light pass.

    A 64-bit gear hash (``h = (h << 5) + g(c)``) depends on exactly the last ``K = 13``
    folded characters; a window is kept when the top ``sample_bits`` bits of ``h * M``
    are zero (one in ``2**sample_bits``). Dropped characters update nothing: their
    effect is selected away with masks rather than branches, which mispredict on
    spaces and punctuation.

    Returns ``(keys uint32, fpos int64, ostart int64, oend int64, level uint8, nfolded)``:
    each kept n-gram's key, its start in folded characters, its start and end in the
    original code points, the top byte of its sampling hash (it is also sampled at
    ``b >= sample_bits`` bits exactly when ``level >> (8 - b) == 0``), and the folded
    length of the text; ``nfolded`` is -1 when more than
    ``cap`` n-grams were sampled (the caller retries with a larger ``cap``).
    """
    keys = np.empty(cap, np.uint32)
    fpos = np.empty(cap, np.int64)
    ostart = np.empty(cap, np.int64)
    oend = np.empty(cap, np.int64)
    level = np.empty(cap, np.uint8)
    ring = np.zeros(16, np.int64)
    shift = U64(64 - sample_bits)
    h = U64(0)
    n = 0
    slot = 0
    count = 0
    for i in range(len(cps)):
        v = single[cps[i]]
        if v == np.uint32(0xFFFFFFFF):
            cp = cps[i]
            for j in range(lengths[cp]):
                h = (h << _STEP) + U64(chars[offsets[cp] + j]) * _GOLD
                ring[slot] = i
                slot = (slot + 1) & 15
                n += 1
            continue
        keep = U64(v != np.uint32(0))
        mask = U64(0) - keep
        g = (h << _STEP) + U64(v) * _GOLD
        h = (g & mask) | (h & ~mask)
        ring[slot] = i
        step = np.int64(keep)
        slot = (slot + step) & 15
        n += step
        if ((g * _M1) >> shift) == U64(0) and keep and n >= K:
            if count < cap:
                keys[count] = np.uint32(_mix(h) >> U64(32))
                level[count] = np.uint8((g * _M1) >> U64(56))
                fpos[count] = n - K
                ostart[count] = ring[(slot - K) & 15]
                oend[count] = i + 1
            count += 1
    if count > cap:
        n = -1
        count = cap
    return keys[:count], fpos[:count], ostart[:count], oend[:count], level[:count], n


@njit(cache=True, nogil=True)
def match_codepoints(
    cps,
    single,
    offsets,
    lengths,
    chars,
    max_len,
    sample_bits,
    skeys,
    sworks,
    spos,
    sdf,
    shard_bits,
    max_df,
    max_gap,
    tol,
    drift,
    min_score,
    min_hits,
    min_span,
):
    """``sample_ngrams`` then ``match_shards``, in one compiled call per record.

    Each call from Python costs microseconds of dispatch and boxing (about as much as
    sampling a few thousand characters), so a record is sampled and matched without
    returning to Python in between. ``max_len`` is the longest fold of one code point,
    for the retry when the first guess at the sample's size is too small.
    """
    cap = len(cps) // (1 << sample_bits) * 4 + 64
    keys, fpos, ostart, oend, _, nfolded = sample_ngrams(
        cps, single, offsets, lengths, chars, sample_bits, cap
    )
    if nfolded < 0:  # unusually dense sampling: retry with the bound
        bound = len(cps) * max_len + 64
        keys, fpos, ostart, oend, _, nfolded = sample_ngrams(
            cps, single, offsets, lengths, chars, sample_bits, bound
        )
    return match_shards(
        skeys,
        sworks,
        spos,
        sdf,
        shard_bits,
        keys,
        fpos,
        ostart,
        oend,
        max_df,
        max_gap,
        tol,
        drift,
        min_score,
        min_hits,
        min_span,
    )


@njit(cache=True, nogil=True)
def fold_codepoints(cps, offsets, lengths, chars):
    """The folded code points of a text (for tests and diagnostics)."""
    total = 0
    for i in range(len(cps)):
        total += lengths[cps[i]]
    out = np.empty(total, np.uint32)
    n = 0
    for i in range(len(cps)):
        cp = cps[i]
        for j in range(lengths[cp]):
            out[n] = chars[offsets[cp] + j]
            n += 1
    return out


@njit(cache=True, nogil=True)
def match_shards(
    skeys,
    sworks,
    spos,
    sdf,
    shard_bits,
    qkeys,
    qfpos,
    qostart,
    qoend,
    max_df,
    max_gap,
    tol,
    drift,
    min_score,
    min_hits,
    min_span,
):
    """Look a record's sampled keys up in key-range shards of the index, chain the hits.

    Shard ``s`` holds the keys whose top ``shard_bits`` bits are ``s``, sorted.
    """
    nq = len(qkeys)
    lo = np.empty(nq, np.int64)
    hi = np.empty(nq, np.int64)
    sh = np.empty(nq, np.int64)
    total = 0
    for q in range(nq):
        s = np.int64(qkeys[q] >> np.uint32(32 - shard_bits)) if shard_bits > 0 else 0
        keys = skeys[s]
        sh[q] = s
        lo[q] = _lower_bound(keys, qkeys[q])
        hi[q] = _run_end(keys, lo[q], qkeys[q], max_df)
        span = hi[q] - lo[q]
        if 0 < span <= max_df:
            total += span
    order_key = np.empty(total, np.int64)
    rec = np.empty(total, np.int64)
    wpos = np.empty(total, np.int64)
    weight = np.empty(total, np.float64)
    ost = np.empty(total, np.int64)
    oen = np.empty(total, np.int64)
    work = np.empty(total, np.int64)
    n = 0
    for q in range(nq):
        span = hi[q] - lo[q]
        if span <= 0 or span > max_df:
            continue
        s = sh[q]
        for e in range(lo[q], hi[q]):
            work[n] = sworks[s][e]
            rec[n] = qfpos[q]
            wpos[n] = spos[s][e]
            weight[n] = 1.0 / max(sdf[s][e], 1)
            ost[n] = qostart[q]
            oen[n] = qoend[q]
            order_key[n] = (work[n] << 32) | rec[n]
            n += 1
    order = np.argsort(order_key)
    return chain_hits(
        work[order],
        rec[order],
        wpos[order],
        weight[order],
        ost[order],
        oen[order],
        K,
        max_gap,
        tol,
        drift,
        min_score,
        min_hits,
        min_span,
    )


@njit(cache=True, nogil=True, boundscheck=False)
def _lower_bound(keys, value):
    """First index whose key is >= ``value`` (``keys`` sorted ascending)."""
    lo = 0
    hi = len(keys)
    v = np.uint64(value)
    while lo < hi:
        mid = (lo + hi) >> 1
        if np.uint64(keys[mid]) < v:
            lo = mid + 1
        else:
            hi = mid
    return lo


@njit(cache=True, nogil=True, boundscheck=False)
def _run_end(keys, lo, value, max_df):
    """The end of the run of ``value`` starting at ``lo``, looked at no further than
    ``max_df + 1`` entries (a longer run is skipped whatever its length).

    Most sampled keys are absent or have a few entries, so a short scan is cheaper
    than a second binary search.
    """
    end = lo
    limit = min(len(keys), lo + max_df + 1)
    v = np.uint64(value)
    while end < limit and np.uint64(keys[end]) == v:
        end += 1
    return end


SLOTS = 8
"""Chains followed at once per work (a record may reproduce several passages)."""
# columns of the per-chain state: alignment diagonal, last hit, last counted hit, first hit
# (folded record positions), record start / end (original offsets), work start / end
# (folded), counted hits, active flag
DIAG, LAST, COUNTED, FIRST, R0, R1, W0, W1, HITS, ON = range(10)


@njit(cache=True, nogil=True)
def chain_hits(
    work, rec, wpos, weight, ostart, oend, k, max_gap, tol, drift, min_score, min_hits, min_span
):
    """Evidence spans from hits sorted by (work, record position).

    Hits overlapping the previous counted hit of a chain (closer than ``k``) extend the
    chain's span but add no evidence: a short shared phrase is one piece of evidence,
    however many sampled n-grams fall inside it.

    Returns rows ``(work, record start, record end, work start, work end, hits)`` (original
    record offsets; folded work offsets) and the matching scores.
    """
    out = np.empty((max(len(work) // 2, 4), 6), np.int64)
    out_scores = np.empty(max(len(work) // 2, 4), np.float64)
    limits = (min_score, min_hits, min_span, k)
    count = 0
    state = np.zeros((SLOTS, 10), np.int64)
    score = np.zeros(SLOTS, np.float64)
    i = 0
    while i < len(work):
        current = work[i]
        state[:, ON] = 0
        while i < len(work) and work[i] == current:
            r = rec[i]
            for s in range(SLOTS):  # close chains the record has moved past
                if state[s, ON] and r - state[s, LAST] > max_gap:
                    count, out, out_scores = _emit(
                        state, score, s, current, limits, out, out_scores, count
                    )
            chosen = _fitting_chain(state, r, r - wpos[i], tol, drift)
            if chosen < 0:
                chosen = _free_slot(state, score)
                if state[chosen, ON]:
                    count, out, out_scores = _emit(
                        state, score, chosen, current, limits, out, out_scores, count
                    )
                _open(state, score, chosen, r, ostart[i], wpos[i])
            _extend(state, score, chosen, r, r - wpos[i], wpos[i], oend[i], weight[i], k)
            i += 1
        for s in range(SLOTS):
            if state[s, ON]:
                count, out, out_scores = _emit(
                    state, score, s, current, limits, out, out_scores, count
                )
    return out[:count], out_scores[:count]


@njit(cache=True, nogil=True)
def _fitting_chain(state, r, diag, tol, drift):
    """The first open chain whose diagonal this hit continues, or -1."""
    for s in range(SLOTS):
        if state[s, ON] and abs(diag - state[s, DIAG]) <= tol + drift * (r - state[s, LAST]):
            return s
    return -1


@njit(cache=True, nogil=True)
def _open(state, score, s, r, ostart, wpos):
    state[s, :] = 0
    state[s, ON] = 1
    state[s, FIRST] = r
    state[s, R0] = ostart
    state[s, W0] = wpos
    state[s, W1] = wpos
    score[s] = 0.0


@njit(cache=True, nogil=True)
def _extend(state, score, s, r, diag, wpos, oend, weight, k):
    """Add a hit to chain ``s``; it counts as evidence unless it overlaps the last one."""
    if state[s, HITS] > 0 and r == state[s, LAST]:
        return
    if state[s, HITS] == 0 or r - state[s, COUNTED] >= k:
        state[s, COUNTED] = r
        state[s, HITS] += 1
        score[s] += weight
    state[s, DIAG] = diag
    state[s, LAST] = r
    state[s, R1] = max(state[s, R1], oend)
    state[s, W0] = min(state[s, W0], wpos)
    state[s, W1] = max(state[s, W1], wpos)


@njit(cache=True, nogil=True)
def _free_slot(state, score):
    """A free slot, or the weakest chain's slot when all are taken."""
    weakest = 0
    for s in range(SLOTS):
        if not state[s, ON]:
            return s
        if score[s] < score[weakest]:
            weakest = s
    return weakest


@njit(cache=True, nogil=True)
def _emit(state, score, s, current, limits, out, out_scores, count):
    """Append chain ``s`` to the output if it is enough evidence; close it."""
    min_score, min_hits, min_span, k = limits
    state[s, ON] = 0
    long_enough = state[s, LAST] + k - state[s, FIRST] >= min_span
    if score[s] < min_score or state[s, HITS] < min_hits or not long_enough:
        return count, out, out_scores
    if count == len(out):
        bigger = np.empty((len(out) * 2, 6), np.int64)
        bigger[:count] = out
        more = np.empty(len(out) * 2, np.float64)
        more[:count] = out_scores
        out, out_scores = bigger, more
    out[count, 0] = current
    out[count, 1] = state[s, R0]
    out[count, 2] = state[s, R1]
    out[count, 3] = state[s, W0]
    out[count, 4] = state[s, W1] + k
    out[count, 5] = state[s, HITS]
    out_scores[count] = score[s]
    return count + 1, out, out_scores
