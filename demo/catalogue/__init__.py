"""The words the demo dataset is made of: plain data, no database access."""
