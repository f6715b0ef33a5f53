"""Pydantic models of every document kind; keys are Swedish aliases of English field names.

The model modules do without ``from __future__ import annotations`` on purpose: with string
annotations pydantic compiles and evaluates each of the ~150 annotations when the classes are
created, about a tenth of the cost of importing this package (12.6 M of 112 M instructions
under callgrind).
"""

from trygg.model.config import ProjectConfig
from trygg.model.documents import DOCUMENT_TYPES, Document, Plan
from trygg.model.measure import Measure
from trygg.model.org import Organisation, OrganisationRegister

ALL_TYPES = {**DOCUMENT_TYPES, "organisationer": OrganisationRegister}

__all__ = ["ALL_TYPES", "DOCUMENT_TYPES", "Document", "Measure", "Organisation",
           "OrganisationRegister", "Plan", "ProjectConfig"]
