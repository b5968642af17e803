"""The Textual front end: thin widgets and screens over ``reader.core``."""
