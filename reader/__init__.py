"""reader: a terminal reader and annotator for news text."""

__version__ = "0.1.0"
