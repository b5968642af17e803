"""Links between annotations: who said what, and which claims retell or contradict others.

What other code calls:

- ``values``: ``LinkType`` (from the schema's ``[links.NAME]``), ``Link`` (stored),
  ``LinkDraft`` (an import file's link, naming its ends by ``AnnotationDraft.key`` or by
  annotation id), ``LinkEnd`` (a link seen from one end, for screens).
- ``rules``: ``fitting_types`` (which types may join two annotations) and ``check_link``.
- The store (``reader.core.store.Store``): ``create_link``, ``update_link``,
  ``delete_link``, ``link``, ``iter_links``, ``links_of``, ``link_state``; undo and redo
  through ``reader.core.history``; ``import_items`` accepts ``LinkDraft`` items.
"""

from reader.core.links.rules import check_link, fitting_types
from reader.core.links.values import ANY, LINK_STATES, Link, LinkDraft, LinkEnd, LinkType

__all__ = [
    "ANY",
    "LINK_STATES",
    "Link",
    "LinkDraft",
    "LinkEnd",
    "LinkType",
    "check_link",
    "fitting_types",
]
