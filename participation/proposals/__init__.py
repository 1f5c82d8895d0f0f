"""Proposals residents write and the votes or dots they give them."""
