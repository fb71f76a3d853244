"""Answers with verified citations: numbered context, generation, citation checks, conclusion checks."""
