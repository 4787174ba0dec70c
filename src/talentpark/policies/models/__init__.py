from talentpark.policies.models.claims import Certification, Claim, ClaimEvent, Decision, ReviewRequest
from talentpark.policies.models.documents import ClaimDocument
from talentpark.policies.models.ledger import LedgerEntry
from talentpark.policies.models.policy import (
    ApprovalLevel,
    Policy,
    PolicyAttachment,
    PolicyVersion,
    PublishRun,
)

__all__ = [
    "ApprovalLevel",
    "Certification",
    "Claim",
    "ClaimDocument",
    "ClaimEvent",
    "Decision",
    "LedgerEntry",
    "Policy",
    "PolicyAttachment",
    "PolicyVersion",
    "PublishRun",
    "ReviewRequest",
]
