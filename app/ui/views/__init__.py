"""One module per screen; each exposes `view(ctl) -> ft.Control`."""
