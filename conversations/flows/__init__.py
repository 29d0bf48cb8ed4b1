"""One module per conversation flow."""
