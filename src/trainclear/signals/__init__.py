"""Machine-readable reservations (robots.txt AI agents, TDMRep, AIPREF, RSL, ``noai``,
C2PA/CAWG, IPTC, ai.txt) read as opt-outs beside the registry; see :mod:`.model`."""

from trainclear.signals.model import Finding, Judgement, Verdict, combine, strictest

__all__ = ["Finding", "Judgement", "Verdict", "combine", "strictest"]
