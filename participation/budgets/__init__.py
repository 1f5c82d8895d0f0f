"""The climate budget ballot ("Mest klimat för våra pengar"): residents approve backlog measures
within a budget, the funding rule (backlog/funding.py) decides what is funded."""
