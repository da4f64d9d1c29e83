"""Namespaces of the data contract, and the closed ``kg:`` vocabulary (see kg/data/kg.ttl).

``KG`` is an rdflib ``DefinedNamespace``: a typo such as ``KG.mentionCont`` raises instead of
silently minting a new term.
"""

from __future__ import annotations

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef

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

SCHEMA = Namespace(PREFIXES["schema"])
PROV = Namespace(PREFIXES["prov"])


class KG(DefinedNamespace):
    """The kg: vocabulary: the terms schema.org and PROV do not have."""

    _NS = Namespace(KG_NS)
    _fail = True

    CoMention: URIRef  # a pair of entities named in the same sentence(s)
    entity: URIRef  # one of the two entities of a CoMention
    sentenceCount: URIRef  # sentences naming both
    articleCount: URIRef  # articles naming both
    coMentionedWith: URIRef  # shortcut: entity to entity, both ways
    mentionCount: URIRef  # how many times an entity is mentioned
    addressee: URIRef  # whom a quote was told to
    cue: URIRef  # the reporting verb or speech noun of a quote
    quoteKind: URIRef  # direct, mixed or indirect
    attributionRule: URIRef  # how the speaker was found
    startOffset: URIRef  # character offset of a quote in its article's text
    endOffset: URIRef  # end offset (exclusive)
    sentence: URIRef  # the sentence a quote was found in


KIND_CLASS = {
    "person": "schema:Person",
    "organization": "schema:Organization",
    "place": "schema:Place",
    "event": "schema:Event",
}
