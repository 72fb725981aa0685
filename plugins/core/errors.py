"""Errors services share, so that views can answer them the same way."""


class Refusal(Exception):
    """The rules refuse this action in the current state (a 409 for the API); the message says why."""
