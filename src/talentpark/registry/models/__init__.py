from talentpark.registry.models.chains import ChainRole, ChainSegment, EnterpriseChainRole, IndustryChain
from talentpark.registry.models.changes import ProfileChange
from talentpark.registry.models.enterprises import Enterprise, EnterpriseAccount
from talentpark.registry.models.imports import ImportJob
from talentpark.registry.models.people import Education, FamilyMember, Person, Talent
from talentpark.registry.models.platforms import Platform, Project
from talentpark.registry.models.wallet import Document

__all__ = [
    "ChainRole",
    "ChainSegment",
    "Document",
    "Education",
    "Enterprise",
    "EnterpriseAccount",
    "EnterpriseChainRole",
    "FamilyMember",
    "ImportJob",
    "IndustryChain",
    "Person",
    "Platform",
    "ProfileChange",
    "Project",
    "Talent",
]
