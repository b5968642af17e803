"""Recommenders: who proposes spans, and how well (``reader suggest``)."""
