"""Synthetic personal data: Indonesian names and street addresses, built from pools.

Faker's ``id_ID`` locale supplies the pools once (first names by sex, family names, street
names); numpy then combines pool indices for hundreds of thousands of children at once. Calling
Faker per row would take minutes. Nothing here is a real person: the reader drops these
columns immediately anyway.
"""

from __future__ import annotations

from functools import cache

import numpy as np
from faker import Faker
from faker.providers.person.id_ID import Provider as _Person


@cache
def pools(seed: int = 0) -> dict[str, np.ndarray]:
    """Name and street pools as object arrays.

    Parameters
    ----------
    seed : int
        Seed of the Faker instance that draws the street pool.

    Returns
    -------
    dict of str to numpy.ndarray
        ``laki``, ``perempuan`` (first names), ``keluarga`` (family names), ``jalan`` (streets).
    """
    fake = Faker("id_ID")
    fake.seed_instance(seed)
    streets = sorted({fake.street_name() for _ in range(600)})
    return {
        "laki": np.array(sorted(set(_Person.first_names_male)), dtype=object),
        "perempuan": np.array(sorted(set(_Person.first_names_female)), dtype=object),
        "keluarga": np.array(sorted(set(_Person.last_names_male) | set(_Person.last_names_female)),
                             dtype=object),
        "jalan": np.array(streets, dtype=object),
    }


def _pick(rng: np.random.Generator, pool: np.ndarray, n: int) -> np.ndarray:
    return pool[rng.integers(0, len(pool), n)]


def person_names(rng: np.random.Generator, sex: np.ndarray) -> np.ndarray:
    """Full names for people of the given sex (1 male, 2 female).

    Two given names, or a given name and a family name, or a single name, as in the register.
    """
    p = pools()
    n = len(sex)
    first = np.where(sex == 1, _pick(rng, p["laki"], n), _pick(rng, p["perempuan"], n))
    second_given = np.where(sex == 1, _pick(rng, p["laki"], n), _pick(rng, p["perempuan"], n))
    family = _pick(rng, p["keluarga"], n)
    form = rng.random(n)
    second = np.where(form < 0.45, family, second_given)
    full = first + " " + second
    return np.where(form > 0.9, first, full)


def addresses(rng: np.random.Generator, n: int) -> np.ndarray:
    """Street addresses such as ``Jl. Pasir Koja No. 12`` (a street from the pool and a number)."""
    p = pools()
    street = _pick(rng, p["jalan"], n)
    number = rng.integers(1, 160, n).astype(str)
    return street + " No. " + number.astype(object)
