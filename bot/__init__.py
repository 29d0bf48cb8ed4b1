"""Composition root: settings, wiring, runtime, courier, scheduler and the command line."""
