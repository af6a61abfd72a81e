"""Compiled inner loops of the text matcher (numba, ``nopython``, cached on disk).

These functions are typed by numba at compile time, not by mypy (see pyproject). They
live in one module on purpose: numba's disk cache is invalidated when a function's own
file changes, not when a function it calls from another file does, so kernels that
call each other across files could run stale code after an edit.

``sample_ngrams`` folds a text's code points through the fold table and, in the same
pass, hashes every window of ``K = 13`` folded characters, keeping about one window in
``2**sample_bits`` by its hash value (content-defined sampling: the same n-gram is kept
in a work and in any copy of it, whatever surrounds it). ``match_shards`` looks a
record's sampled keys up in the sorted index shards and ``chain_hits`` turns index
hits into evidence spans: hits of one work that follow each other closely in the record
and stay on one alignment diagonal (record position − work position, allowing for drift
from edits) are chained; a chain is only evidence when it scores enough.

Many records in one call, from their bytes: ``match_utf8`` takes texts as UTF-8 in one
buffer, and ``match_jsonl`` takes JSONL lines, validating each as one JSON object
(RFC 8259) without building it and sampling its text member as it decodes it (escapes
included), so a record's text is read once and a kept line can be written as read.
Decoding, folding, sampling, looking up and chaining happen without returning to
Python: no per-record dispatch, no code point array; an ASCII byte is one table lookup.
The answers are those of ``sample_ngrams`` and ``match_shards`` on the text's code
points: offsets count code points as Python's ``str`` does (a JSON surrogate pair is one).

``match_jsonl`` vouches only for lines it is sure a JSON parser reads the same way;
every other line is marked for the caller's own parser, which then decides (and reports
errors) as it would have: blank lines, a byte order mark, anything invalid (UTF-8
included), the field missing or not a string, an escaped key, a lone surrogate escape
(orjson refuses those), a number with an exponent or over 20 characters (parsers differ
on overflow), nesting deeper than 64, and whitespace other than spaces and tabs inside
a line, or around its object.
"""

from __future__ import annotations

import numpy as np
from numba import literal_unroll, njit

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


@njit(cache=True, nogil=True)
def sample_threshold(sample_bits):
    """A window is sampled when the top byte of its sampling hash is below this: its top
    ``sample_bits`` bits are zero (``sample_bits`` from 0, every window, to 8)."""
    return U64(1) << U64(8 - sample_bits)


@njit(cache=True, nogil=True, boundscheck=False)
def sample_ngrams(cps, single, offsets, lengths, chars, sample_bits, cap):
    """Sampled n-grams of one text, in one branch-light pass.

    A 64-bit gear hash (``h = (h << 5) + g(c)``) depends on exactly the last ``K = 13``
    folded characters; a window is kept when the top ``sample_bits`` bits of ``h * M``
    are zero (one in ``2**sample_bits``; every window at 0 bits). Dropped characters
    update nothing: their effect is selected away with masks rather than branches, which
    mispredict on
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
    threshold = sample_threshold(sample_bits)
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
        top = (g * _M1) >> U64(56)
        if top < threshold and keep and n >= K:
            if count < cap:
                keys[count] = np.uint32(_mix(h) >> U64(32))
                level[count] = np.uint8(top)
                fpos[count] = n - K
                ostart[count] = ring[(slot - K) & 15]
                oend[count] = i + 1
            count += 1
    if count > cap:
        n = -1
        count = cap
    return keys[:count], fpos[:count], ostart[:count], oend[:count], level[:count], n


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


# --- Many records from UTF-8 bytes ---------------------------------------------------


@njit(cache=True, nogil=True)
def match_utf8(
    buf,
    starts,
    ends,
    single,
    offsets,
    lengths,
    chars,
    sample_bits,
    skeys,
    sworks,
    spos,
    sdf,
    sdir,
    shard_bits,
    max_df,
    max_gap,
    tol,
    drift,
    min_score,
    min_hits,
    min_span,
):
    """Match every record of ``buf``: rows ``(record, work, record start, record end,
    work start, work end, hits)`` in record order, and their scores. The texts are
    well-formed UTF-8, as Python encodes a ``str`` (lone surrogates with
    ``surrogatepass``)."""
    longest = np.max(ends - starts) if len(starts) else 0
    state = new_state(single, offsets, lengths, chars, sample_bits, False, longest)
    out = np.empty((64, 7), np.int64)
    scores = np.empty(64, np.float64)
    index = (skeys, sworks, spos, sdf, sdir, shard_bits, max_df)
    chain = (K, max_gap, tol, drift, min_score, min_hits, min_span)
    count = 0
    for r in range(len(starts)):
        sample, sampled, _, _, _ = sample_utf8(buf, starts[r], ends[r], False, state)
        state = (state[0], state[1], state[2], sample)
        out, scores, count = match_sample(sample, sampled, index, chain, r, out, scores, count)
    return out[:count], scores[:count]


@njit(cache=True, nogil=True)
def new_state(single, offsets, lengths, chars, sample_bits, json, longest):
    """What :func:`sample_utf8` works with: the fold tables (with the ASCII part as a
    small table of its own, marking what ends or interrupts a JSON string), the
    sampling threshold, scratch for a chunk (no longer than the ``longest`` text needs,
    so that matching one short record allocates little), and sample arrays (replaced
    when grown)."""
    ascii_fold = single[:128].copy()
    if json:
        ascii_fold[:0x20] = _CONTROL
        ascii_fold[0x22] = _QUOTE
        ascii_fold[0x5C] = _ESCAPE
    fold = (ascii_fold, single, offsets, lengths, chars)
    size = min(CHUNK, longest + 64)  # a byte folds to one character, a code point to 15
    scratch = (np.empty(size, np.uint32), np.empty(size, np.int64))
    return fold, sample_threshold(sample_bits), scratch, _sample_arrays(64)


@njit(cache=True, nogil=True)
def match_sample(sample, sampled, index, chain, record, out, scores, count):
    """Look the first ``sampled`` samples up and chain the hits, appending rows for
    ``record`` to ``out`` (grown as needed)."""
    skeys, sworks, spos, sdf, sdir, shard_bits, max_df = index
    keys, fpos, ostart, oend = sample
    hits = gather_hits(
        skeys, sworks, spos, sdf, sdir, shard_bits,
        keys[:sampled], fpos[:sampled], ostart[:sampled], oend[:sampled], max_df,
    )  # fmt: skip
    if count + len(hits[0]) > len(out):  # room for a row per hit
        size = max(2 * len(out), count + len(hits[0]))
        out, scores = _grow(out, scores, count, size)
    return out, scores, chain_sorted(hits, chain, record, out, scores, count)


_CONTROL = np.uint32(0xFFFFFFFC)
_QUOTE = np.uint32(0xFFFFFFFD)
_ESCAPE = np.uint32(0xFFFFFFFE)
_EXPANDS = np.uint32(0xFFFFFFFF)
"""Fold values that are not characters: in the ASCII table of a JSON string body a
control character (invalid there), the closing quote and the backslash of an escape;
in the fold table, a code point folding to several (:data:`.fold.EXPANDS`)."""


CHUNK = 1 << 14
"""Folded characters decoded at a time (their scratch stays in cache; a record of any
length is sampled in bounded memory)."""
_EXPANDED = np.int64(1) << np.int64(62)
"""Flags, in a folded character's original offset, one of several a code point folds
to: no window ending there is sampled (as :func:`sample_ngrams` does)."""


@njit(cache=True, nogil=True)
def _sample_arrays(cap):
    """Keys, start in folded characters, start and end in code points."""
    return (
        np.empty(cap, np.uint32),
        np.empty(cap, np.int64),
        np.empty(cap, np.int64),
        np.empty(cap, np.int64),
    )


@njit(cache=True, nogil=True)
def _grow(out, scores, count, size):
    bigger = np.empty((size, 7), np.int64)
    bigger[:count] = out[:count]
    more = np.empty(size, np.float64)
    more[:count] = scores[:count]
    return bigger, more


@njit(cache=True, nogil=True)
def _grow_sample(sample, count, size):
    bigger = _sample_arrays(size)
    for k in literal_unroll((0, 1, 2, 3)):
        bigger[k][:count] = sample[k][:count]
    return bigger


@njit(cache=True, nogil=True, boundscheck=False)
def sample_utf8(buf, start, end, json, state):
    """:func:`sample_ngrams` over ``buf[start:end]``, decoded on the way; with
    ``json``, over the body of the JSON string starting at ``start``, to its closing
    quote (``end`` bounds the search).

    A chunk of the text at a time is decoded and folded into scratch (folded characters
    and their code point offsets), then hashed: the gear hash runs over letters and
    digits only, with no branch or mask for the characters folding drops. Returns the
    sample arrays (``state``'s, or larger ones), how many samples they hold, where the
    text ends (the closing quote), whether it was well-formed (UTF-8 without overlong
    forms or surrogates, and for ``json`` a complete string with valid escapes and no
    control characters), and its length in code points (as Python counts a ``str``).
    """
    fold, threshold, scratch, sample = state
    folded, opos = scratch
    h = U64(0)
    count = 0
    base = 0  # folded characters before folded[0]
    carry = 0  # folded[:carry] are the previous chunk's last K - 1
    p = start
    i = np.int64(-1)  # the last code point's index
    valid = True
    while True:
        n, p, i, ok, closed = _fold_chunk(buf, p, end, fold, folded, opos, carry, i)
        valid &= ok
        if count + n - carry > len(sample[0]):
            sample = _grow_sample(sample, count, max(2 * len(sample[0]), count + n - carry))
        h, count = _sample_chunk(folded, opos, carry, n, base, h, threshold, sample, count)
        if closed or p >= end:
            return sample, count, p, valid and (closed or not json), i + 1
        keep = K - 1
        folded[:keep] = folded[n - keep : n]
        opos[:keep] = opos[n - keep : n]
        base += n - keep
        carry = keep


@njit(cache=True, nogil=True, boundscheck=False)
def _fold_chunk(buf, p, end, fold, folded, opos, n, i):
    """Decode from ``buf[p]`` and append the letters and digits it folds to at
    ``folded[n]`` (with their code point offsets at ``opos[n]``) until the input or the
    room runs out, or a JSON string's closing quote. Returns the new ``n``, ``p``, last
    code point index ``i``, whether what was decoded was well-formed, and whether the
    quote was reached (``p`` is then its offset)."""
    ascii_fold, single, offsets, lengths, chars = fold
    room = len(folded) - 16  # a code point folds to 15 characters at most
    stop = min(end, p + (room - n))  # a byte folds to one character at most, but see below
    bad = 0  # nonzero once a sequence is malformed
    while p < stop:
        b = np.int64(buf[np.uint64(p)])
        if b < 0x80:
            v = ascii_fold[b]
            p += 1
        elif b < 0xE0:
            if p + 2 > end:
                return n, end, i, False, False
            c1 = np.int64(buf[np.uint64(p + 1)])
            cp = ((b & 0x1F) << 6) | (c1 & 0x3F)
            bad |= ((c1 ^ 0x80) & 0xC0) | np.int64(b < 0xC2)  # a continuation as lead, overlong
            v = single[np.uint64(cp)]
            p += 2
        elif b < 0xF0:
            if p + 3 > end:
                return n, end, i, False, False
            c1 = np.int64(buf[np.uint64(p + 1)])
            c2 = np.int64(buf[np.uint64(p + 2)])
            cp = ((b & 0x0F) << 12) | ((c1 & 0x3F) << 6) | (c2 & 0x3F)
            bad |= ((c1 | (c2 << 8)) ^ 0x8080) & 0xC0C0
            bad |= np.int64(cp < 0x800) | np.int64((cp >> 11) == 0x1B)  # 0x1B: surrogates
            v = single[np.uint64(cp)]
            p += 3
        else:
            if p + 4 > end:
                return n, end, i, False, False
            cp, bad_one = _decode4(buf, p, b)
            bad |= np.int64(bad_one)
            v = single[cp]
            p += 4
        if v >= _CONTROL:  # rare: the string's end, an escape, a code point folding to several
            if v == _QUOTE:
                return n, p - 1, i, bad == 0, True
            if v == _CONTROL:
                return n, end, i, False, False
            if v == _ESCAPE:
                if p < end and buf[p] != 0x75:  # a one-character escape (\\n, say)
                    cp = np.int64(_SIMPLE_ESCAPES[buf[p]])
                    p += 1
                    ok = cp != 0
                else:
                    cp, p, ok = _unescape(buf, p, end)
                if not ok:
                    return n, end, i, False, False
                v = single[cp]
            if v == _EXPANDS:
                i += 1
                for j in range(lengths[cp]):
                    folded[n] = chars[offsets[cp] + j]
                    opos[n] = i | _EXPANDED
                    n += 1
                stop = min(end, p + (room - n))
                continue
        i += 1
        folded[np.uint64(n)] = v  # written always, kept only when v is a letter or digit
        opos[np.uint64(n)] = i
        n += np.int64(v != np.uint32(0))
    return n, p, i, bad == 0, False


@njit(cache=True, nogil=True, boundscheck=False)
def _decode4(buf, p, b):
    """The code point of the four-byte sequence at ``p`` (lead byte ``b``), and whether
    it is malformed (then a code point that is in range all the same)."""
    c1 = np.int64(buf[p + 1])
    c2 = np.int64(buf[p + 2])
    c3 = np.int64(buf[p + 3])
    cp = ((b & 0x07) << 18) | ((c1 & 0x3F) << 12) | ((c2 & 0x3F) << 6) | (c3 & 0x3F)
    bad = ((c1 | (c2 << 8) | (c3 << 16)) & 0xC0C0C0) != 0x808080
    bad |= (cp < 0x10000) | (cp > 0x10FFFF) | (b > 0xF4)
    return min(cp, 0x10FFFF), bad


@njit(cache=True, nogil=True, boundscheck=False)
def _sample_chunk(folded, opos, carry, n, base, h, threshold, sample, count):
    """Hash the windows ending at ``folded[carry:n]``; append the sampled ones. (Two
    characters a step, to halve the chain of dependent operations, measured no faster:
    the two multiplications per character bound it, not the chain.)"""
    for j in range(carry, n):
        h = (h << _STEP) + U64(folded[np.uint64(j)]) * _GOLD
        if (h * _M1) >> U64(56) < threshold:
            count = _take(opos, j, base, h, sample, count)
    return h, count


@njit(cache=True, nogil=True, boundscheck=False, inline="always")
def _take(opos, j, base, h, sample, count):
    """Append the window ending at ``folded[j]``, unless it is shorter than ``K`` or
    ends inside a code point folding to several."""
    if base + j + 1 < K or opos[j] >= _EXPANDED:
        return count
    keys, fpos, ostart, oend = sample
    keys[count] = np.uint32(_mix(h) >> U64(32))
    fpos[count] = base + j + 1 - K
    ostart[count] = opos[j + 1 - K] & (_EXPANDED - 1)
    oend[count] = opos[j] + 1
    return count + 1


@njit(cache=True, nogil=True, boundscheck=False)
def _unescape(buf, p, end):
    """The code point of the JSON escape whose backslash is just before ``p``, the offset
    after it, and whether it is valid (a surrogate pair is one code point; a lone
    surrogate is not valid, as orjson has it)."""
    if p >= end:
        return 0, p, False
    c = buf[p]
    if c != 0x75:  # not \u
        cp = np.int64(_SIMPLE_ESCAPES[c])
        return cp, p + 1, cp != 0
    cp = _hex4(buf, p + 1, end)
    p += 5
    if 0xD800 <= cp < 0xDC00 and p + 6 <= end and buf[p] == 0x5C and buf[p + 1] == 0x75:
        low = _hex4(buf, p + 2, end)
        if 0xDC00 <= low < 0xE000:
            return 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00), p + 6, True
    return max(cp, 0), p, cp >= 0 and not 0xD800 <= cp < 0xE000


@njit(cache=True, nogil=True, boundscheck=False)
def _hex4(buf, p, end):
    """The value of four hexadecimal digits at ``p``, or -1."""
    if p + 4 > end:
        return np.int64(-1)
    value = np.int64(0)
    for q in range(p, p + 4):
        d = np.int64(_HEX[buf[q]])
        if d < 0:
            return np.int64(-1)
        value = (value << 4) | d
    return value


def _tables():
    simple = np.zeros(256, np.uint8)
    for char, value in zip(b'"\\/bfnrt', b'"\\/\b\f\n\r\t', strict=True):
        simple[char] = value
    hexdigits = np.full(256, -1, np.int8)
    for i, char in enumerate(b"0123456789abcdef"):
        hexdigits[char] = i
    for i, char in enumerate(b"ABCDEF"):
        hexdigits[char] = 10 + i
    return simple, hexdigits


_SIMPLE_ESCAPES, _HEX = _tables()


# --- JSONL lines, read in place ------------------------------------------------------

FAST = 0
"""Status of a line whose field was found and matched (:func:`match_jsonl`)."""
SLOW = 1
"""Status of any other line: the caller parses it."""
LINE_START, LINE_END, STATUS, TEXT_LENGTH, MEMBERS = range(5)
"""The columns of :func:`match_jsonl`'s lines (the text's length in code points, then
the members): member ``j``'s value is at columns
``MEMBERS + 2 * j`` (start) and ``MEMBERS + 2 * j + 1`` (end)."""

_DEPTH = 64
_MAX_NUMBER = 20


@njit(cache=True, nogil=True)
def match_jsonl(
    buf,
    field,
    names,
    bounds,
    single,
    offsets,
    lengths,
    chars,
    sample_bits,
    skeys,
    sworks,
    spos,
    sdf,
    sdir,
    shard_bits,
    max_df,
    max_gap,
    tol,
    drift,
    min_score,
    min_hits,
    min_span,
):
    """The lines of ``buf`` (uint8) and the matches of their member ``field``.

    Returns an int64 array with a row per line: line start and end (``buf[start:end]``
    is the line with its ``\\n``; the last line may lack one), status, the length of
    the ``field`` text in code points, and for each
    member name (``names[bounds[j]:bounds[j + 1]]``, top level) where the JSON text of
    its value is (any value, not decoded; ``0, 0`` where absent); then the match rows
    ``(line, work, record start, record end, work start, work end, hits)`` of
    :data:`FAST` lines and their scores, as :func:`match_utf8` gives them.
    """
    state = new_state(single, offsets, lengths, chars, sample_bits, True, len(buf))
    index = (skeys, sworks, spos, sdf, sdir, shard_bits, max_df)
    chain = (K, max_gap, tol, drift, min_score, min_hits, min_span)
    out = np.empty((64, 7), np.int64)
    scores = np.empty(64, np.float64)
    count = 0
    n = len(buf)
    width = MEMBERS + 2 * (len(bounds) - 1)
    lines = np.empty((n // 512 + 16, width), np.int64)
    stack = np.empty(_DEPTH, np.uint8)
    line = 0
    p = 0
    while p < n:
        if line == len(lines):
            bigger = np.empty((2 * line, width), np.int64)
            bigger[:line] = lines
            lines = bigger
        row = lines[line]
        row[:] = 0
        row[LINE_START] = p
        e, state, sampled = _object_fields(buf, p, n, field, names, bounds, stack, row, state)
        if e >= 0:
            out, scores, count = match_sample(
                state[3], sampled, index, chain, line, out, scores, count
            )
        else:
            row[STATUS:] = 0
            row[STATUS] = SLOW
            e = p
            while e < n and buf[e] != 0x0A:
                e += 1
        row[LINE_END] = min(e + 1, n)
        line += 1
        p = e + 1
    return lines[:line], out[:count], scores[:count]


@njit(cache=True, nogil=True, boundscheck=False)
def _object_fields(buf, p, end, field, names, bounds, stack, row, state):
    """The offset of the line break (or ``end``) after the JSON object at ``p``, or -1
    when the line is not one object whose member ``field`` is a valid string; with the
    sampling state and the string's sample size. Writes where the named members' values
    are to ``row``. The last member of a name counts, as in Python's and orjson's
    parsers. A ``\\r`` before the line break is allowed."""
    sampled = -1
    p = _space(buf, p, end)
    if p >= end or buf[p] != 0x7B:  # {
        return -1, state, sampled
    p = _space(buf, p + 1, end)
    if p < end and buf[p] == 0x7D:
        return -1, state, sampled  # {}: no field
    while True:
        if p >= end or buf[p] != 0x22:
            return -1, state, sampled
        key_end, escaped = _string(buf, p + 1, end)
        if key_end < 0 or escaped:
            return -1, state, sampled
        is_field = _equals(buf, p + 1, key_end, field)
        member = _member(buf, p + 1, key_end, names, bounds)
        p = _space(buf, key_end + 1, end)
        if p >= end or buf[p] != 0x3A:  # :
            return -1, state, sampled
        start = p = _space(buf, p + 1, end)
        if is_field:
            if p >= end or buf[p] != 0x22:
                return -1, state, sampled
            sample, sampled, p, ok, length = sample_utf8(buf, p + 1, end, True, state)
            state = (state[0], state[1], state[2], sample)
            row[TEXT_LENGTH] = length
            p = p + 1 if ok else -1
        else:
            p = _value(buf, p, end, stack)
        if p < 0:
            return -1, state, sampled
        if member >= 0:
            row[MEMBERS + 2 * member], row[MEMBERS + 2 * member + 1] = start, p
        p = _space(buf, p, end)
        if p < end and buf[p] == 0x2C:  # ,
            p = _space(buf, p + 1, end)
            continue
        if p >= end or buf[p] != 0x7D:  # }
            return -1, state, sampled
        p += 1
        if p < end and buf[p] == 0x0D:
            p += 1
        if (p < end and buf[p] != 0x0A) or sampled < 0:
            return -1, state, sampled
        return p, state, sampled


@njit(cache=True, nogil=True, boundscheck=False)
def _member(buf, a, b, names, bounds):
    """Which of the member names the key ``buf[a:b]`` is, or -1."""
    for j in range(len(bounds) - 1):
        if _equals(buf, a, b, names[bounds[j] : bounds[j + 1]]):
            return j
    return -1


@njit(cache=True, nogil=True, boundscheck=False)
def _space(buf, p, end):
    while p < end and (buf[p] == 0x20 or buf[p] == 0x09):
        p += 1
    return p


@njit(cache=True, nogil=True, boundscheck=False)
def _equals(buf, a, b, field):
    if b - a != len(field):
        return False
    for i in range(len(field)):  # noqa: SIM110 (a loop numba compiles)
        if buf[a + i] != field[i]:
            return False
    return True


@njit(cache=True, nogil=True, boundscheck=False)
def _value(buf, p, end, stack):
    """The offset after the JSON value at ``p``, or -1 (invalid, or one to leave to a
    parser). Containers are followed with an explicit stack."""
    depth = 0
    while True:
        if p < 0 or p >= end:
            return -1
        c = buf[p]
        if c == 0x7B or c == 0x5B:  # { [
            if depth == _DEPTH:
                return -1
            stack[depth] = c
            depth += 1
            p = _space(buf, p + 1, end)
            if p < end and buf[p] == c + 2:  # empty: } is { + 2, ] is [ + 2
                depth -= 1
                p += 1
            elif c == 0x7B:
                p = _key(buf, p, end)
                continue
            else:
                continue
        elif c == 0x22:
            q, _ = _string(buf, p + 1, end)
            p = q + 1 if q >= 0 else -1
        elif c == 0x2D or 0x30 <= c <= 0x39:
            p = _number(buf, p, end)
        else:
            p = _literal(buf, p, end)
        while p >= 0:  # after a value: close containers, or go on to the next member
            if depth == 0:
                return p
            p = _space(buf, p, end)
            if p >= end:
                return -1
            if buf[p] == stack[depth - 1] + 2:
                depth -= 1
                p += 1
            elif buf[p] == 0x2C:
                p = _space(buf, p + 1, end)
                if stack[depth - 1] == 0x7B:
                    p = _key(buf, p, end)
                break
            else:
                return -1
        if p < 0:
            return -1


@njit(cache=True, nogil=True, boundscheck=False)
def _key(buf, p, end):
    """The offset of the value after a nested object's ``"key":``, or -1."""
    if p >= end or buf[p] != 0x22:
        return -1
    q, _ = _string(buf, p + 1, end)
    if q < 0:
        return -1
    p = _space(buf, q + 1, end)
    if p >= end or buf[p] != 0x3A:
        return -1
    return _space(buf, p + 1, end)


@njit(cache=True, nogil=True, boundscheck=False)
def _string(buf, p, end):
    """The offset of the closing quote of the string whose body starts at ``p`` and
    whether it has escapes; -1 when it is invalid JSON, not UTF-8 (no overlong forms,
    no surrogates, nothing above U+10FFFF) or holds a lone surrogate escape."""
    escaped = False
    while p < end:
        c = np.int64(buf[p])
        if _PLAIN[c]:
            p += 1
            continue
        if c == 0x22:
            return p, escaped
        if c == 0x5C:
            escaped = True
            p = _escape(buf, p + 1, end)
            if p < 0:
                return -1, escaped
            continue
        if c < 0xC2 or c > 0xF4:  # a control character, a continuation byte, 0xF5+
            return -1, escaped
        size = 2 if c < 0xE0 else 3 if c < 0xF0 else 4
        if p + size > end:
            return -1, escaped
        b1 = np.int64(buf[p + 1])
        ok = (b1 & 0xC0) == 0x80
        if size > 2:
            ok &= (np.int64(buf[p + 2]) & 0xC0) == 0x80
            ok &= (c != 0xE0 or b1 >= 0xA0) and (c != 0xED or b1 < 0xA0)
        if size > 3:
            ok &= (np.int64(buf[p + 3]) & 0xC0) == 0x80
            ok &= (c != 0xF0 or b1 >= 0x90) and (c != 0xF4 or b1 < 0x90)
        if not ok:
            return -1, escaped
        p += size
    return -1, escaped


@njit(cache=True, nogil=True, boundscheck=False)
def _escape(buf, p, end):
    """The offset after the escape whose backslash precedes ``p``, or -1."""
    if p >= end:
        return -1
    c = buf[p]
    if c != 0x75:  # not \u: one of " \ / b f n r t
        ok = c in (0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74)
        return p + 1 if ok else -1
    unit = _hex4(buf, p + 1, end)
    if unit < 0 or 0xDC00 <= unit < 0xE000:
        return -1
    if unit < 0xD800 or unit >= 0xDC00:
        return p + 5
    p += 5  # a high surrogate: a low one must follow
    if p + 1 >= end or buf[p] != 0x5C or buf[p + 1] != 0x75:
        return -1
    low = _hex4(buf, p + 2, end)
    return p + 6 if 0xDC00 <= low < 0xE000 else -1


@njit(cache=True, nogil=True, boundscheck=False)
def _number(buf, p, end):
    """The offset after a JSON number without exponent of at most 20 characters, or -1."""
    start = p
    if buf[p] == 0x2D:
        p += 1
    if p >= end or not 0x30 <= buf[p] <= 0x39:
        return -1
    if buf[p] == 0x30:
        p += 1
    else:
        while p < end and 0x30 <= buf[p] <= 0x39:
            p += 1
    if p < end and buf[p] == 0x2E:  # .
        p += 1
        if p >= end or not 0x30 <= buf[p] <= 0x39:
            return -1
        while p < end and 0x30 <= buf[p] <= 0x39:
            p += 1
    if p < end and (buf[p] == 0x65 or buf[p] == 0x45):  # an exponent: for the parser
        return -1
    return p if p - start <= _MAX_NUMBER else -1


@njit(cache=True, nogil=True, boundscheck=False)
def _literal(buf, p, end):
    """The offset after ``true``, ``false`` or ``null`` at ``p``, or -1."""
    for word in (_TRUE, _FALSE, _NULL):
        if _equals(buf, p, min(p + len(word), end), word):
            return p + len(word)
    return -1


_PLAIN = np.zeros(256, np.bool_)
_PLAIN[0x20:0x80] = True
_PLAIN[[0x22, 0x5C]] = False  # the quote and the backslash end a run
_TRUE = np.frombuffer(b"true", np.uint8).copy()
_FALSE = np.frombuffer(b"false", np.uint8).copy()
_NULL = np.frombuffer(b"null", np.uint8).copy()


# --- Lookups and chains --------------------------------------------------------------


@njit(cache=True, nogil=True)
def match_shards(
    skeys,
    sworks,
    spos,
    sdf,
    sdir,
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

    Shard ``s`` holds the keys whose top ``shard_bits`` bits are ``s``, sorted;
    ``sdir[s]`` is its directory (see :func:`find_run`).
    """
    hits = gather_hits(
        skeys, sworks, spos, sdf, sdir, shard_bits, qkeys, qfpos, qostart, qoend, max_df
    )
    out = np.empty((len(hits[0]), 7), np.int64)
    scores = np.empty(len(hits[0]), np.float64)
    chain = (K, max_gap, tol, drift, min_score, min_hits, min_span)
    count = chain_sorted(hits, chain, 0, out, scores, 0)
    return out[:count, 1:], scores[:count]


@njit(cache=True, nogil=True, boundscheck=False)
def gather_hits(skeys, sworks, spos, sdf, sdir, shard_bits, qkeys, qfpos, qostart, qoend, max_df):
    """The index entries of a record's keys, as arrays ``(order, work, record position,
    work position, weight, original start, original end)``; ``order`` sorts them by
    (work, record position), entries of one key and work in index order (see
    :func:`_group_by_work`). A key with more than ``max_df`` entries gives none.

    Arrays are indexed with unsigned integers here and in the decoding loops: numba
    checks a signed index for wraparound (a negative index counts from the end) at
    every access, which cost about a third of the matcher's time."""
    nq = len(qkeys)
    lo = np.empty(nq, np.int64)
    hi = np.empty(nq, np.int64)
    sh = np.empty(nq, np.int64)
    total = 0
    for q in range(nq):
        s = np.int64(qkeys[q] >> np.uint32(32 - shard_bits)) if shard_bits > 0 else 0
        sh[q] = s
        lo[q], hi[q] = find_run(skeys[s], sdir[s], shard_bits, qkeys[q], max_df)
        span = hi[q] - lo[q]
        if 0 < span <= max_df:
            total += span
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
        works, positions, df = sworks[s], spos[s], sdf[s]
        for e in range(np.uint64(lo[q]), np.uint64(hi[q])):
            u = np.uint64(n)
            work[u] = works[e]
            rec[u] = qfpos[q]
            wpos[u] = positions[e]
            weight[u] = 1.0 / max(df[e], 1)
            ost[u] = qostart[q]
            oen[u] = qoend[q]
            n += 1
    return _group_by_work(work[:n]), work, rec, wpos, weight, ost, oen


@njit(cache=True, nogil=True, boundscheck=False)
def _group_by_work(work):
    """The order that sorts hits by work, stably. Hits arrive by record position, so
    this is (work, record position) order, and hits of one key and work stay in index
    order (a defined order, where a general sort leaves ties as it happens to).

    Linear in the hits, unlike a sort: works get dense ids in a small hash table, only
    the few distinct works are sorted, and the hits are placed by counting."""
    n = len(work)
    size = 16
    while size < 2 * n:
        size *= 2
    table = np.full(size, -1, np.int64)
    dense_work = np.empty(n, np.int64)
    counts = np.zeros(n + 1, np.int64)
    dense = np.empty(n, np.int64)
    distinct = 0
    mask = size - 1
    for i in range(n):
        w = work[i]
        s = (w * 0x9E3779B1) & mask
        while True:
            d = table[s]
            if d < 0:
                d = distinct
                table[s] = d
                dense_work[d] = w
                distinct += 1
                break
            if dense_work[d] == w:
                break
            s = (s + 1) & mask
        dense[i] = d
        counts[d] += 1
    ranked = np.argsort(dense_work[:distinct])
    starts = np.empty(distinct, np.int64)
    total = 0
    for r in range(distinct):
        d = ranked[r]
        starts[d] = total
        total += counts[d]
    order = np.empty(n, np.int64)
    for i in range(n):
        d = dense[i]
        order[starts[d]] = i
        starts[d] += 1
    return order


@njit(cache=True, nogil=True, boundscheck=False)
def find_run(keys, index, shard_bits, value, max_df):
    """``(lo, hi)``: the entries of ``value`` in a shard's sorted ``keys``, looked at no
    further than ``max_df + 1`` entries (a longer run is skipped whatever its length).

    ``index`` narrows the search to one bucket of the keys (``2**b + 1`` starts, see
    :func:`.textindex.directory`); most buckets hold a handful of entries, so a short
    scan finds the run.
    """
    v = np.uint64(value)
    shifted = (v << np.uint64(shard_bits)) & np.uint64(0xFFFFFFFF)
    bucket = (shifted * np.uint64(len(index) - 1)) >> np.uint64(32)  # the top bits
    lo = np.int64(index[bucket])
    end = np.int64(index[bucket + np.uint64(1)])
    while lo < end and np.uint64(keys[np.uint64(lo)]) < v:
        lo += 1
    hi = lo
    limit = min(end, lo + max_df + 1)
    while hi < limit and np.uint64(keys[np.uint64(hi)]) == v:
        hi += 1
    return lo, hi


SLOTS = 8
"""Chains followed at once per work (a record may reproduce several passages)."""
# columns of the per-chain state: alignment diagonal, last hit, last counted hit, first hit
# (folded record positions), record start / end (original offsets), work start / end
# (folded), counted hits, active flag
DIAG, LAST, COUNTED, FIRST, R0, R1, W0, W1, HITS, ON = range(10)
_FAR = 1 << 62


@njit(cache=True, nogil=True)
def chain_hits(
    work, rec, wpos, weight, ostart, oend, k, max_gap, tol, drift, min_score, min_hits, min_span
):
    """Evidence spans from hits sorted by (work, record position).

    Returns rows ``(work, record start, record end, work start, work end, hits)`` (original
    record offsets; folded work offsets) and the matching scores (see :func:`chain_into`).
    """
    out = np.empty((len(work), 7), np.int64)
    scores = np.empty(len(work), np.float64)
    order = np.arange(len(work))
    hits = (order, work, rec, wpos, weight, ostart, oend)
    chain = (k, max_gap, tol, drift, min_score, min_hits, min_span)
    count = chain_sorted(hits, chain, 0, out, scores, 0)
    return out[:count, 1:], scores[:count]


@njit(cache=True, nogil=True, boundscheck=False)
def chain_sorted(hits, chain, record, out, scores, count):
    """Chain the hits of :func:`gather_hits` in their sort order; write the evidence spans
    as rows ``(record, work, record start, record end, work start, work end, hits)`` of
    ``out`` (and ``scores``) from row ``count``; returns the new row count.

    ``out`` needs room for one row per hit: every chain holds at least one hit.
    """
    order, work, rec, wpos, weight, ostart, oend = hits
    k, max_gap, tol, drift, min_score, min_hits, min_span = chain
    limits = (min_score, min_hits, min_span, k)
    state = np.zeros((SLOTS, 10), np.int64)
    score = np.zeros(SLOTS, np.float64)
    n = len(order)
    i = 0
    while i < n:
        current = work[order[i]]
        earliest = _FAR  # no later than the last hit of any open chain
        while i < n and work[order[i]] == current:
            j = order[i]
            r = rec[j]
            if r - earliest > max_gap:  # close chains the record has moved past
                earliest = _FAR
                for s in range(SLOTS):
                    if state[s, ON] and r - state[s, LAST] > max_gap:
                        count = _emit(state, score, s, record, current, limits, out, scores, count)
                    elif state[s, ON]:
                        earliest = min(earliest, state[s, LAST])
            chosen = _fitting_chain(state, r, r - wpos[j], tol, drift)
            if chosen < 0:
                chosen = _free_slot(state, score)
                if state[chosen, ON]:
                    count = _emit(state, score, chosen, record, current, limits, out, scores, count)
                _open(state, score, chosen, r, ostart[j], wpos[j])
            _extend(state, score, chosen, r, r - wpos[j], wpos[j], oend[j], weight[j], k)
            earliest = min(earliest, r)
            i += 1
        for s in range(SLOTS):
            if state[s, ON]:
                count = _emit(state, score, s, record, current, limits, out, scores, count)
    return count


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
    """Add a hit to chain ``s``; it counts as evidence unless it overlaps the last one.

    Hits overlapping the previous counted hit of a chain (closer than ``k``) extend the
    chain's span but add no evidence: a short shared phrase is one piece of evidence,
    however many sampled n-grams fall inside it.
    """
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


@njit(cache=True, nogil=True, boundscheck=False)
def _emit(state, score, s, record, current, limits, out, scores, count):
    """Write chain ``s`` as row ``count`` if it is enough evidence; close it."""
    min_score, min_hits, min_span, k = limits
    state[s, ON] = 0
    long_enough = state[s, LAST] + k - state[s, FIRST] >= min_span
    if score[s] < min_score or state[s, HITS] < min_hits or not long_enough:
        return count
    out[count, 0] = record
    out[count, 1] = current
    out[count, 2] = state[s, R0]
    out[count, 3] = state[s, R1]
    out[count, 4] = state[s, W0]
    out[count, 5] = state[s, W1] + k
    out[count, 6] = state[s, HITS]
    scores[count] = score[s]
    return count + 1
