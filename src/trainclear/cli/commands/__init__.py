"""One module per command group; each command parses options and calls one service."""
