"""The machine a benchmark ran on, and pinning the process to one core."""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import os
import platform
import sys
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

SINGLE_THREAD_ENV = ("NUMBA_NUM_THREADS", "OMP_NUM_THREADS", "RAYON_NUM_THREADS",
                     "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")  # fmt: skip


def pin_one_core() -> int:
    """Run this process (and its children) on one core with one thread per library.

    Call before numpy, numba or rensa are imported, so their thread pools see the limits.
    Returns the core.
    """
    for name in SINGLE_THREAD_ENV:
        os.environ[name] = "1"
    core = idlest_core(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {core})
    return core


def idlest_core(cores: set[int], seconds: float = 0.5) -> int:
    """The core among ``cores`` that was idle longest over the next ``seconds``."""
    before = _idle_ticks()
    time.sleep(seconds)
    after = _idle_ticks()
    return max(sorted(cores), key=lambda c: after.get(c, 0) - before.get(c, 0))


def _idle_ticks() -> dict[int, int]:
    ticks = {}
    for line in Path("/proc/stat").read_text().splitlines():
        name, *fields = line.split()
        if name.startswith("cpu") and name != "cpu":
            ticks[int(name[3:])] = int(fields[3])
    return ticks


@dataclass(frozen=True, slots=True)
class Elapsed:
    """Seconds on the wall clock and on this process's CPU clock (user + system).

    On a pinned, single-threaded process the two agree when the machine is idle; when
    other work shares the core, CPU time leaves out the time the process waited.
    """

    wall: float
    cpu: float


class Stopwatch:
    def __init__(self) -> None:
        self._wall, self._cpu = time.perf_counter(), time.process_time()

    def elapsed(self) -> Elapsed:
        return Elapsed(time.perf_counter() - self._wall, time.process_time() - self._cpu)


def describe() -> dict[str, object]:
    """CPU model, cores, memory, Python and library versions."""
    return {
        "cpu": _cpu_model(),
        "logical_cores": os.cpu_count(),
        "ram_gib": round(_meminfo("MemTotal") / 2**20, 1),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "versions": {name: _version(name) for name in ("numpy", "numba", "datasketch", "rensa")},
    }


def module_digests(package: str = "trainclear.fingerprint") -> dict[str, str]:
    """SHA-256 (first 12 hex digits) of each module file of ``package``, without importing it.

    Recorded at the start and the end of a run: which code was measured, and whether it
    changed while the benchmark ran (child processes would import the new code).
    """
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return {}
    folder = Path(next(iter(spec.submodule_search_locations)))
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        for path in sorted(folder.glob("*.py"))
    }


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _meminfo(key: str) -> int:
    """A ``/proc/meminfo`` value in KiB."""
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def rss_kib(field: str = "VmRSS") -> int:
    """This process's resident memory (``VmRSS``) or its peak (``VmHWM``), in KiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def reset_peak_rss() -> None:
    """Start ``VmHWM`` afresh from the current resident size (Linux 4.0+)."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")
