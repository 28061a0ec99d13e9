"""Optional allow-lists of workspaces (teams) and channels."""

from __future__ import annotations

from typing import Sequence


def is_allowed(team_id: str | None, channel_id: str | None,
               allowed_team_ids: Sequence[str], allowed_channel_ids: Sequence[str]) -> bool:
    """True unless an allow-list is set and the team or channel is not on it."""
    if allowed_team_ids and team_id not in allowed_team_ids:
        return False
    if allowed_channel_ids and channel_id not in allowed_channel_ids:
        return False
    return True
