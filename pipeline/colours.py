"""A colour per span label, the same in the terminal (`show`), the HTML report and the review app."""
from __future__ import annotations

import hashlib

# background colours for span labels: light enough that black Thai text on them stays readable;
# shared with `circulars report` so the terminal and the HTML agree
PALETTE = ["#ffd166", "#a0e7e5", "#b4f8c8", "#fbe7c6", "#ffaebc", "#c3b1e1", "#9ad0f5",
           "#f7c59f", "#d4e09b", "#f6a6b2", "#b8c0ff", "#caffbf", "#ffc6ff", "#fdffb6"]
FIXED_COLOURS = {"ref": "#ffd166", "date": "#a0e7e5", "subject": "#b4f8c8", "issuer": "#fbe7c6",
                 "recipient": "#ffaebc", "cites": "#c3b1e1", "encloses": "#b8c0ff",
                 "enclosure": "#e4e4e4", "signatory_name": "#9ad0f5",
                 "signatory_position": "#cfe8fc", "urgency": "#ff9f9f"}


def label_colour(label: str) -> str:
    """A stable colour per span label: fixed for the main fields, hashed for the rest."""
    if label in FIXED_COLOURS:
        return FIXED_COLOURS[label]
    for prefix in ("deadline", "contact", "mention"):
        if label.startswith(prefix):
            label = prefix + label[len(prefix):]
            break
    digest = int(hashlib.sha1(label.encode()).hexdigest(), 16)
    return PALETTE[digest % len(PALETTE)]
