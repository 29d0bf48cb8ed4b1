"""Channel adapters that turn native events into Inbound messages and render Outbound ones."""
