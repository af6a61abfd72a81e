"""``trainclear demo``: the whole clearance loop on the embedded default, end to end."""

from trainclear.demo.scenario import DemoSummary, run_demo

__all__ = ["DemoSummary", "run_demo"]
