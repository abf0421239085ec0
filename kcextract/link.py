"""Cross-field linking, after every extractor has run.

Each extractor already dedupes its own facts by the spec's key and attaches what it can
read from its own stretch of text (a project's beneficiaries and money, a programme's
budget). What is left for here is what one field learns from another:

* an organization named as a project's beneficiary has the role ``beneficiary`` (seed-001:
  ``HTX Phi Đoàn`` is a beneficiary because its đề án names it, whatever verb follows it).
"""

from __future__ import annotations

from kcextract.canon import org_key
from kcextract.document import Document
from kcextract.extract import Context


def link(doc: Document, ctx: Context) -> None:
    """Attach facts across fields, in place on ``ctx``."""
    beneficiaries = {org_key(b) for p in ctx.facts.get("projects", []) for b in p.beneficiaries}
    for org in ctx.facts.get("organizations", []):
        if org_key(org.name) in beneficiaries and org.type != "agency":
            org.role = "beneficiary"
