"""Policy redemption pages that change state: thin — parse, check permission, call a service, render.

One module per sub-domain (list and detail pages are declared in ``policies.pages``):

* ``authoring``: a policy's metadata, approval routing and attachments;
* ``workspace``: the office's rule workspace — versions, the rule editor with a live preview,
  publishing, recurring cycles, 补充比对 and the run pages;
* ``claims``: the claim detail page (confirm, decline, ask for a human review, approve, reject)
  and batch review;
* ``ledger``: paying and reversing from the claim page, and a policy's ledger and reconciliation;
* ``reviews``: the 人工复核 queue;
* ``common``: helpers the modules share.
"""
