"""Application services: one function per use case, each one transaction plus its event.

Front ends (CLI, JSON API, web pages) call these and nothing below them. Every
function takes the :class:`~trainclear.services.platform.Platform` first and keyword-only
arguments after it; writes take the authenticated ``actor``.
"""
