"""Accuracy evaluations on the shared reference data (`make eval`); see EVALUATION.md."""
