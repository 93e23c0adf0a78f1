"""What the event modules share: the PLOVER type groups, the actor ranking, the evidence length
bounds and the clause-boundary pattern."""

from __future__ import annotations

import re

RANK = {"PER": 0, "ORG": 1, "GPE": 2, "NORP": 2, "LOC": 3}
MATERIAL = {
    "CONSULT",
    "AGREE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
    "PROTEST",
    "SANCTION",
    "CONCEDE",
}
SYMMETRIC = {"CONSULT", "AGREE", "COOPERATE"}
MIN_EV, MAX_EV = 30, 200

BOUND = re.compile(r"[،,;؛:!?؟«»“”\"()\[\]]|\s[-–—]\s")
