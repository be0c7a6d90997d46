"""Self-check exercises, one module per chapter (filled in by the interactive-layer work)."""
