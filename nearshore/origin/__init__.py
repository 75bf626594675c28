"""USMCA rules of origin."""
