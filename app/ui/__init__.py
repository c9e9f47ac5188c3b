"""The Flet client: app shell, views (functions of state) and widgets."""
