"""The Inference Report: a drafting desk for a weekly AI-industry newsletter."""
