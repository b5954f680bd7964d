"""The matching engine."""
