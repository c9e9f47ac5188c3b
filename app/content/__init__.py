"""Load and validate lessons/ into domain objects."""
