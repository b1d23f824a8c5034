"""The one base of every error a user is meant to read."""
from __future__ import annotations


class UserFacingError(ValueError):
    """Something the rules refuse. `str(error)` is the message for the user, in Chinese;
    `field` names the input at fault when there is one (forms mark it, the API reports it)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field
