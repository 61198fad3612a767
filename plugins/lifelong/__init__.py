"""Lifelong: a static site generator for a national lifelong-learning catalogue."""

__version__ = "0.1.0"
