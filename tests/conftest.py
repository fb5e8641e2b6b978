"""Shared test set-up.

Tests never touch the user's data folders: pseudonymisation uses a fixed test
salt, matplotlib draws off-screen.
"""

from __future__ import annotations

import os

os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("KONVERGENSI_SALT", "salt-khusus-pengujian")
