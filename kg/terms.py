"""The data contract's namespaces as rdflib terms, and the closed ``kg:`` vocabulary.

``KG`` is an rdflib ``DefinedNamespace``: a typo such as ``KG.mentionCont`` raises instead of
silently minting a new term. Kept apart from kg.vocab's plain strings, which are all a build
needs to write Turtle: the build never imports rdflib (~25 ms); ``kg.vocab.KG`` still works.
"""

from __future__ import annotations

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef

from kg.vocab import KG_NS, PREFIXES

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
