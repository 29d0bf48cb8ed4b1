"""The channel-agnostic conversation engine and its flows."""
