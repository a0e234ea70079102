"""Judging: panels, rubrics, blind and calibrated scoring of the shortlist (in progress:
so far the pure arithmetic, `scoring.py`)."""
