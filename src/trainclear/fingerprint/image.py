"""Image fingerprints: a 64-bit perceptual hash robust to resizing, re-encoding and small crops.

The hash is a windowed DCT pHash. The image is decoded upright (EXIF orientation applied),
flattened onto white if it has transparency, reduced to luminance and box-averaged to 32×32
floats. The mean is removed and a sin² (Hann) window, zero at the border and 1 in the centre,
weights the pixels before a 2-D DCT-II. The 64 lowest AC frequencies in diagonal order
(u + v = 1 … 10, without DC and (10, 0)) are compared with their median: one bit each, first
coefficient in the most significant bit. Median splitting makes exactly 32 bits set (bar
ties), so distances between hashes are even, and makes the hash invariant to any brightness
change of the form a·x + b (a > 0) that does not clip. Single-band images (8- and 16-bit
grey, float) are used as they are; palette, CMYK and the rest go through RGB.

Why the window. Without it a 5 % crop per side moves what lies under the image border, and
the low frequencies that carry most of the hash shift with it. We measured three ways to
make crops cheaper: hashing the central 90 % (a second, "inner" hash), a flat-topped Tukey
window and the Hann window. The Hann window did best with one hash, so no second hash is
stored. It also cut the jitter on smooth images: a photo of soft colour gradients has only
~20 DCT coefficients above the noise of JPEG quality 30, so its other bits flip easily; the
window and float (not 8-bit) averaging halved those flips. Such near-featureless pictures
remain the weakest case (the worst variant distance below).

Decoding speed. A large JPEG is decoded at a reduced scale (libjpeg's DCT-domain scaling)
while both sides stay ≥ 512 px: 4.7× faster on multi-megapixel files, identical hashes on
the photos, and at most 8 bits of extra jitter on sparse line art (p99 3). Scaling further
(to ~64 px) was 10× faster but added up to 18 bits on line art and 4 on the gradient photo.

Measured Hamming distances from the original file to its variants (three distinct real
photos from ``shared/data/signals``: the "blue marble" Earth 375×375, the C2PA gradient test
image 2048×1365 and the IPTC reference image 2000×1000; Earth / gradient / IPTC):

- resized 0.5×, 0.25×, 2×: 0 / 0 / 0; PNG: 0 / 0 / 0
- JPEG q=70: 0 / 0 / 0; JPEG q=30: 0 / 10 / 0
- cropped 3 % a side: 0 / 0 / 2; 5 % a side: 2 / 0 / 4
- brightness −10 %: 0 / 4 / 0; +10 % (clips): 0 / 10 / 0
- the gradient image's three shared copies (re-encoded, different C2PA manifests): 4–10

Unrelated pairs: the three photos pairwise 26–42; photos against 60 generated images
(noise, 1/f noise, gradients, discs, rectangles) at least 18; mean 31.4 (random bits: 32).
On 131 other images (icons, diagrams, screenshots; measurement only, not in the tests)
99 % of variant distances were ≤ 12, and 0.5 % of ~18,700 unrelated pairs were ≤ 12, nearly
all of them icons of one family (folder icons differing by a small glyph).
:data:`DEFAULT_MAX_DISTANCE` = 12 keeps every measured photo variant (≤ 10) inside with a
margin and every unrelated photo pair (≥ 18) outside. For two random balanced hashes
P(d ≤ 12) ≈ 5·10⁻⁷; real images are less uniform, so a match is a candidate, not a proof.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageOps

from trainclear.errors import ValidationFailed

HASH_PREFIX = "phash:"
DEFAULT_MAX_DISTANCE = 12
SIDE = 32  # the box-averaged square the DCT runs on
BITS = 64
DRAFT_SIDE = 512  # JPEG DCT-domain downscaling stops before either side drops below this
_TRANSPARENT_MODES = frozenset({"RGBA", "LA", "PA", "RGBa", "La"})
_HEX = frozenset("0123456789abcdef")
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError)

FloatArray = npt.NDArray[np.float64]


def image_hash(data: bytes | Path | Image.Image) -> int:
    """The 64-bit perceptual hash of an encoded image, a file, or a decoded Pillow image.

    Raises:
        ValidationFailed: the bytes or file are not a decodable image.
    """
    try:
        if isinstance(data, Image.Image):
            pixels = _luminance(data)
        else:
            with Image.open(io.BytesIO(data) if isinstance(data, bytes) else data) as image:
                image.draft("RGB", (DRAFT_SIDE, DRAFT_SIDE))  # big JPEGs: decode at 1/2 … 1/8
                pixels = _luminance(image)
    except _DECODE_ERRORS as exc:
        problem = f"not a decodable image ({type(exc).__name__}: {exc})"
        raise ValidationFailed("invalid", field="image", problem=problem) from exc
    return _hash_pixels(pixels)


def hash_hex(h: int) -> str:
    """The text form of a hash: ``phash:`` then 16 lower-case hex digits."""
    if not 0 <= h < 1 << BITS:
        raise ValueError(f"not an unsigned 64-bit hash: {h}")
    return f"{HASH_PREFIX}{h:016x}"


def parse_hash(text: str) -> int:
    """The hash written by :func:`hash_hex`; rejects anything else."""
    digits = text.removeprefix(HASH_PREFIX)
    if not text.startswith(HASH_PREFIX) or len(digits) != 16 or not set(digits) <= _HEX:
        raise ValidationFailed("invalid", field="image_hash", problem="not phash:<16 hex>")
    return int(digits, 16)


def hamming(a: int, b: int) -> int:
    """The number of bits in which two hashes differ."""
    return (a ^ b).bit_count()


def _luminance(image: Image.Image) -> FloatArray:
    """Upright luminance box-averaged to SIDE×SIDE floats; transparency shows white."""
    image = ImageOps.exif_transpose(image)
    has_alpha = image.mode in _TRANSPARENT_MODES or "transparency" in image.info
    if has_alpha:
        rgba = image.convert("RGBA")
        image = Image.alpha_composite(Image.new("RGBA", rgba.size, "white"), rgba)
    if image.mode == "P" or len(image.getbands()) > 1:  # one band (L, I;16, F) stays exact
        image = image.convert("RGB").convert("L")
    small = image.convert("F").resize((SIDE, SIDE), Image.Resampling.BOX)
    return np.asarray(small, dtype=np.float64)


def _hash_pixels(pixels: FloatArray) -> int:
    """Windowed DCT of the centred pixels; 64 low AC frequencies against their median."""
    weighted = (pixels - pixels.mean()) * _window()
    basis = _dct_basis()
    spectrum = basis @ weighted @ basis.T
    rows, cols = _frequencies()
    coefficients = spectrum[rows, cols]
    bits = coefficients > np.median(coefficients)
    return int.from_bytes(np.packbits(bits).tobytes(), "big")


@cache
def _window() -> FloatArray:
    """The 2-D sin² window: weights the centre, fades the border that crops remove."""
    edge = np.sin(np.pi * (np.arange(SIDE) + 1) / (SIDE + 1)) ** 2
    return np.outer(edge, edge)


@cache
def _frequencies() -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Row and column indices of the first 64 AC coefficients, ordered by (u + v, u)."""
    pairs = sorted(((u, v) for u in range(SIDE) for v in range(SIDE)), key=lambda p: (sum(p), p))
    chosen = pairs[1 : BITS + 1]
    return np.array([u for u, _ in chosen]), np.array([v for _, v in chosen])


@cache
def _dct_basis() -> FloatArray:
    """Orthonormal DCT-II rows for the frequencies the hash uses (0 … 10)."""
    top = int(max(_frequencies()[0].max(), _frequencies()[1].max())) + 1
    k = np.arange(top)[:, None]
    n = np.arange(SIDE)[None, :]
    basis: FloatArray = np.cos(np.pi * (2 * n + 1) * k / (2 * SIDE)) * np.sqrt(2 / SIDE)
    basis[0] /= np.sqrt(2)
    return basis
