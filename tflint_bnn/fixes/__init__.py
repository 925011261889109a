"""Fixes: building text edits for findings, applying them, and writing files back safely."""
