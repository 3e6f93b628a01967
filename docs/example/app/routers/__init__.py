"""Thin routers: each handler is wired to its generated route contract and calls one service function."""
