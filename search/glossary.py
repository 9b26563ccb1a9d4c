"""Abbreviations the source documents expand in running text, each with the place, so that a
search for either form finds the other; organisations' and movements' acronym fields add theirs."""

# (acronym, full name as the document writes it, where)
DOCUMENT_ABBREVIATIONS = [
    ("GALS", "Gender Action Learning Systems", "CARE, Promising Practices: Oxfam (Uganda)"),
    ("CNI", "Child Nutrition Initiative", "CARE, Promising Practices: Peru"),
    ("HRBA", "human rights based approach", "ActionAid guidance note, Part 2"),
    ("INGO", "international NGO", "ActionAid guidance note, Part 1"),
    (
        "VAWG",
        "violence against women and girls",
        "ActionAid guidance note, Part 2 (“Violence Against Women [and girls] (VAW[G])”)",
    ),
    (
        "SRHR",
        "sexual and reproductive health rights",
        "ActionAid guidance note, Part 2 (“Sexual and Reproductive Health Rights (SRHR)”)",
    ),
    ("SCWC", "Safe Cities for Women Coalition", "ActionAid guidance note, Part 8.2"),
    ("MAM", "Mahila Adhika Manch", "ActionAid guidance note, Part 8.1"),
    (
        "SWOFON",
        "Small Scale Women Farmers Organisation in Nigeria",
        "ActionAid guidance note, Box 1",
    ),
    ("PPA", "Programme Partnership Agreement", "ActionAid guidance note, endnote 1"),
    ("DFID", "Department for International Development", "ActionAid guidance note, endnote 1"),
]
