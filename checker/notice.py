"""The non-diagnostic notice shown on every page, CLI output and export."""

DISCLAIMER = (
    "Educational tool only - not a diagnosis. This checker shows how symptoms are linked to neuroendocrine "
    "tumor types in published sources; it cannot tell whether you have a tumor or any other condition. "
    "Most people with these symptoms have a common, non-cancerous condition. If you are worried about a "
    "symptom, talk to a doctor or other qualified health professional; in an emergency, call your local "
    "emergency number."
)

STRENGTH_NOTE = (
    "Strength labels (strong, moderate, weak, none) describe how well the reported findings fit what the sources "
    "describe for each condition, leaving out how common it is; the order also counts how common each condition is. "
    "They are not probabilities and say nothing about your chance of having cancer."
)

BASE_RATE_NOTE = (
    "NETs are rare: about 2% of cancers diagnosed each year in the United States. Think of common "
    "conditions (horses) first, but know the zebras."
)
