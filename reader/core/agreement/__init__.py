"""Inter-annotator agreement: the numbers a lead can publish.

Character-level Cohen, Fleiss and Krippendorff (``char_kappa``), Krippendorff's
unitizing alpha (``unitizing``), span F1 exact and partial (``span_f1``), label confusion
(``confusion``), all computed from sweeps over span boundaries (``spans``) and gathered by
``report.agreement_report``; ``reader.cli.agree_render`` shows a report in the terminal.
"""

from reader.core.agreement.report import agreement_report
from reader.core.agreement.spans import Span

__all__ = ["Span", "agreement_report"]
