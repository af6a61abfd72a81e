"""One router per portal; every one is made by :func:`trainclear.web.pages.deps.page_router`."""
