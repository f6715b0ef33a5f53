"""One module per command: typer signature here, the work in the core (imported lazily)."""
