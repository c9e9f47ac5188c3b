"""The city platform server: accounts, sync feeds, course packs (python -m sync.server)."""
