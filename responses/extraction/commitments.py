"""Commitments (stub, replaced below)."""
def extract_commitments(text, sections, meta, ref):
    return [], []
