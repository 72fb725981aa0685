"""The team's pineapple-on-pizza verdict, derived from its members' answers."""

from __future__ import annotations

from dataclasses import dataclass

IN_FAVOUR = "in_favour"
AGAINST = "against"
SPLIT = "split"
UNDECIDED = "undecided"

VERDICT_LABELS = {
    IN_FAVOUR: "Pineapple belongs on pizza",
    AGAINST: "Pineapple does not belong on pizza",
    SPLIT: "The team is split",
    UNDECIDED: "Nobody has said",
}


@dataclass(frozen=True)
class PineappleVerdict:
    """How a team's members answered, and what that makes the team's verdict."""

    in_favour: int
    against: int

    @property
    def answered(self) -> int:
        return self.in_favour + self.against

    @property
    def share_in_favour(self) -> float | None:
        """The share of answering members in favour, 0.0–1.0, or None when nobody answered."""
        if not self.answered:
            return None
        return round(self.in_favour / self.answered, 4)

    @property
    def verdict(self) -> str:
        if not self.answered:
            return UNDECIDED
        if self.in_favour > self.against:
            return IN_FAVOUR
        if self.against > self.in_favour:
            return AGAINST
        return SPLIT

    @property
    def label(self) -> str:
        return VERDICT_LABELS[self.verdict]
