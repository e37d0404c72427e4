"""Claimscope: who claims what about which country, from news articles."""

__version__ = "0.1.0"
