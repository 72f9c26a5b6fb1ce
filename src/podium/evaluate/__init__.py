"""Evaluation of Podium's output against hand-checked gold annotations (``docs/gold-format.md``)."""
