"""Wire protocol, client sync engine and the platform server (see DESIGN.md section 5)."""
