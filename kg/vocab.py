"""Namespaces of the data contract, as plain strings (see kg/data/kg.ttl).

The rdflib terms, with the closed ``kg:`` vocabulary ``KG``, live in kg.terms; ``KG``, ``SCHEMA``
and ``PROV`` are still read from here, imported on first use: a build needs only the strings.
"""

from __future__ import annotations

from typing import Any

KG_NS = "https://example.org/kg/ns#"
DEFAULT_BASE = "https://example.org/kg/"

PREFIXES: dict[str, str] = {
    "kg": KG_NS,
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "schema": "https://schema.org/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

KIND_CLASS = {
    "person": "schema:Person",
    "organization": "schema:Organization",
    "place": "schema:Place",
    "event": "schema:Event",
}


def __getattr__(name: str) -> Any:
    """``KG``, ``SCHEMA``, ``PROV``: kg.terms's, imported (with rdflib) when first asked for."""
    if name in ("KG", "SCHEMA", "PROV"):
        from kg import terms

        return getattr(terms, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
