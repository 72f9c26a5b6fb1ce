"""Exports: the transcript model rendered in formats other tools read."""
