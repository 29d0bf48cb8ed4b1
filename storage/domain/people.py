"""Describe the people the rules talk about: donors and patients."""

from __future__ import annotations

from enum import StrEnum


class Sex(StrEnum):
    """Name a person's sex as the donation and compatibility rules need it."""

    MALE = "m"
    FEMALE = "f"
    OTHER = "o"
