"""Pydantic models of every document kind; keys are Swedish aliases of English field names."""

from trygg.model.config import ProjectConfig
from trygg.model.documents import DOCUMENT_TYPES, Document, Plan
from trygg.model.measure import Measure
from trygg.model.org import Organisation, OrganisationRegister

ALL_TYPES = {**DOCUMENT_TYPES, "organisationer": OrganisationRegister}

__all__ = ["ALL_TYPES", "DOCUMENT_TYPES", "Document", "Measure", "Organisation",
           "OrganisationRegister", "Plan", "ProjectConfig"]
