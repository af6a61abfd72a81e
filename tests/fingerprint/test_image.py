"""Image hashes: real photos survive resizing, re-encoding, crops and brightness; others differ."""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image, ImageEnhance

from trainclear.errors import ValidationFailed
from trainclear.fingerprint.image import (
    DEFAULT_MAX_DISTANCE,
    hamming,
    hash_hex,
    image_hash,
    parse_hash,
)

C2PA = "data/signals/c2pa"
PHOTOS = {  # three different pictures
    "earth": f"{C2PA}/c2pa_and_cawg_training_mining_allowed.jpg",
    "gradient": f"{C2PA}/cawg_training_mining_not_allowed.jpg",
    "iptc": "data/signals/spec_examples/iptc/IPTC-PhotometadataRef-Std2023.2.jpg",
}
GRADIENT_COPIES = [  # the gradient picture again, re-encoded with other C2PA manifests
    f"{C2PA}/manifest_without_training_mining.jpg",
    f"{C2PA}/two_manifests_active_training_mining_allowed.jpg",
]


def encode(image: Image.Image, fmt: str = "PNG", **options: int) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def resized(factor: float) -> Callable[[Image.Image], bytes]:
    def make(image: Image.Image) -> bytes:
        size = (round(image.width * factor), round(image.height * factor))
        return encode(image.resize(size, Image.Resampling.LANCZOS))

    return make


def cropped(fraction: float) -> Callable[[Image.Image], bytes]:
    def make(image: Image.Image) -> bytes:
        dx, dy = round(image.width * fraction), round(image.height * fraction)
        return encode(image.crop((dx, dy, image.width - dx, image.height - dy)))

    return make


def brightened(factor: float) -> Callable[[Image.Image], bytes]:
    return lambda image: encode(ImageEnhance.Brightness(image).enhance(factor))


VARIANTS: dict[str, Callable[[Image.Image], bytes]] = {
    "resize 0.5x": resized(0.5),
    "resize 0.25x": resized(0.25),
    "resize 2x": resized(2.0),
    "jpeg q30": lambda image: encode(image, "JPEG", quality=30),
    "jpeg q70": lambda image: encode(image, "JPEG", quality=70),
    "png": encode,
    "crop 3%": cropped(0.03),
    "crop 5%": cropped(0.05),
    "brightness -10%": brightened(0.9),
    "brightness +10%": brightened(1.1),
}


def synthetic(kind: str, size: int = 256) -> Image.Image:
    """Generated negatives: gradients, noise, shapes."""
    rng = np.random.default_rng(sum(map(ord, kind)))
    y, x = np.mgrid[0:size, 0:size] / size
    pictures = {
        "horizontal gradient": x,
        "vertical gradient": 1 - y,
        "radial gradient": np.hypot(x - 0.3, y - 0.6),
        "uniform noise": rng.random((size, size)),
        "blurred noise": np.kron(rng.random((8, 8)), np.ones((size // 8, size // 8))),
        "checkerboard": (np.floor(x * 6) + np.floor(y * 6)) % 2,
        "stripes": np.sin(x * 40 + y * 10),
        "discs": ((x - 0.3) ** 2 + (y - 0.3) ** 2 < 0.04)
        + ((x - 0.7) ** 2 + (y - 0.6) ** 2 < 0.02),
        "rectangles": ((x > 0.1) & (x < 0.5) & (y > 0.55)) * 1.0 + ((x > 0.6) & (y < 0.4)) * 0.5,
    }
    array = np.asarray(pictures[kind], dtype=np.float64)
    scaled = (array - array.min()) / (np.ptp(array) or 1.0) * 255
    return Image.fromarray(scaled.astype(np.uint8)).convert("RGB")


SYNTHETIC = [
    "horizontal gradient",
    "vertical gradient",
    "radial gradient",
    "uniform noise",
    "blurred noise",
    "checkerboard",
    "stripes",
    "discs",
    "rectangles",
]


@pytest.fixture(scope="module")
def photos(shared_dir: Path) -> dict[str, tuple[Image.Image, int]]:
    """Each photo decoded, and its hash from the file as stored."""
    out = {}
    for name, relative in PHOTOS.items():
        with Image.open(shared_dir / relative) as image:
            out[name] = (image.convert("RGB"), image_hash(shared_dir / relative))
    return out


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("photo", PHOTOS)
def test_variants_of_a_photo_stay_within_the_threshold(
    photos: dict[str, tuple[Image.Image, int]], photo: str, variant: str
) -> None:
    image, original = photos[photo]
    distance = hamming(original, image_hash(VARIANTS[variant](image)))
    assert distance <= DEFAULT_MAX_DISTANCE, f"{photo} {variant}: {distance}"


@pytest.mark.parametrize("copy", GRADIENT_COPIES)
def test_the_same_picture_with_other_metadata_matches(
    photos: dict[str, tuple[Image.Image, int]], shared_dir: Path, copy: str
) -> None:
    assert hamming(photos["gradient"][1], image_hash(shared_dir / copy)) <= DEFAULT_MAX_DISTANCE


def test_different_photos_are_beyond_the_threshold(
    photos: dict[str, tuple[Image.Image, int]],
) -> None:
    for (a, (_, ha)), (b, (_, hb)) in itertools.combinations(photos.items(), 2):
        assert hamming(ha, hb) > DEFAULT_MAX_DISTANCE, f"{a} vs {b}"


def test_synthetic_images_match_neither_photos_nor_each_other(
    photos: dict[str, tuple[Image.Image, int]],
) -> None:
    hashes = {kind: image_hash(synthetic(kind)) for kind in SYNTHETIC}
    hashes |= {name: h for name, (_, h) in photos.items()}
    for (a, ha), (b, hb) in itertools.combinations(hashes.items(), 2):
        assert hamming(ha, hb) > DEFAULT_MAX_DISTANCE, f"{a} vs {b}"


def test_exif_orientation_is_applied() -> None:
    upright = synthetic("rectangles")
    exif = Image.Exif()
    exif[0x0112] = 6  # stored rotated: display needs a 90° clockwise turn
    stored = encode(upright.transpose(Image.Transpose.ROTATE_90), "JPEG", quality=95, exif=exif)
    ignored = encode(upright.transpose(Image.Transpose.ROTATE_90), "JPEG", quality=95)
    assert hamming(image_hash(stored), image_hash(upright)) <= 2
    assert hamming(image_hash(ignored), image_hash(upright)) > DEFAULT_MAX_DISTANCE


def test_transparency_shows_white_and_modes_agree() -> None:
    shape = np.asarray(synthetic("discs").convert("L")) > 128
    rgba = np.zeros((*shape.shape, 4), dtype=np.uint8)
    rgba[shape] = (200, 30, 30, 255)
    on_white = np.where(shape[..., None], np.array([200, 30, 30]), 255).astype(np.uint8)
    expected = image_hash(Image.fromarray(on_white))
    assert image_hash(encode(Image.fromarray(rgba))) == expected
    assert hamming(image_hash(Image.fromarray(on_white).quantize(16)), expected) <= 2
    assert image_hash(Image.fromarray(on_white).convert("L")) == expected


def test_16_bit_and_float_images_are_not_clipped() -> None:
    y, x = np.mgrid[0:200, 0:300]
    wave = (np.sin(x / 20) * np.cos(y / 30) + 1) / 2
    expected = image_hash(Image.fromarray((wave * 255).astype(np.uint8)))
    for array in ((wave * 65535).astype(np.uint16), (wave * 65535).astype(np.int32), wave):
        image = Image.fromarray(array.astype(np.float32) if array is wave else array)
        assert hamming(image_hash(image), expected) <= 2, image.mode


def test_first_frame_of_an_animation_file(tmp_path: Path) -> None:
    frames = [synthetic("discs"), synthetic("checkerboard")]
    path = tmp_path / "animated.gif"
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=100)
    assert hamming(image_hash(path), image_hash(frames[0])) <= 2


def test_hash_is_64_bits_balanced_and_flat_images_hash_to_zero() -> None:
    h = image_hash(synthetic("uniform noise"))
    assert 0 <= h < 2**64
    assert h.bit_count() == 32
    assert image_hash(Image.new("RGB", (50, 30), "gray")) == 0
    assert image_hash(Image.new("RGB", (1, 1), "red")) == 0


@pytest.mark.parametrize(
    "data",
    [b"", b"not an image", b"\xff\xd8\xff\xe0" + b"\x00" * 64, Path("/nonexistent/image.jpg")],
)
def test_undecodable_input_is_a_validation_error(data: bytes | Path) -> None:
    with pytest.raises(ValidationFailed) as caught:
        image_hash(data)
    assert caught.value.params["field"] == "image"


def test_truncated_jpeg_is_a_validation_error(shared_dir: Path) -> None:
    data = (shared_dir / PHOTOS["iptc"]).read_bytes()
    with pytest.raises(ValidationFailed, match="image"):
        image_hash(data[: len(data) // 2])


@given(st.integers(min_value=0, max_value=2**64 - 1))
def test_hex_form_round_trips(h: int) -> None:
    text = hash_hex(h)
    assert text.startswith("phash:")
    assert len(text) == len("phash:") + 16
    assert parse_hash(text) == h


@pytest.mark.parametrize(
    "text", ["", "phash:", "phash:123", "phash:" + "g" * 16, "sha256:" + "0" * 16, "0" * 16]
)
def test_malformed_hex_is_refused(text: str) -> None:
    with pytest.raises(ValidationFailed, match="phash"):
        parse_hash(text)


@pytest.mark.parametrize("h", [-1, 2**64])
def test_hex_of_out_of_range_hash_is_refused(h: int) -> None:
    with pytest.raises(ValueError, match="64-bit"):
        hash_hex(h)


def test_hamming_counts_differing_bits() -> None:
    assert hamming(0, 0) == 0
    assert hamming(0b1010, 0b0110) == 2
    assert hamming(0, 2**64 - 1) == 64
