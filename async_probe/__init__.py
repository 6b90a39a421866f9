"""async_probe: per-request thread hops, lazy loads and blocking cache calls."""
