"""The search-query language, parsed once and compiled for each engine.

Users type ``sanctions "North Stream" -gas OR (AUKUS AND submarine*)``. Rather than passing
that text to FTS5, tantivy or PostgreSQL (each with its own syntax, errors and injection
surface), it is parsed here into a small tree, checked, and compiled into each engine's
syntax from quoted, sanitised terms. The compiled string is then bound as a parameter.

Grammar (case-sensitive operators, implicit AND between terms)::

    query   := or
    or      := and ("OR" and)*
    and     := unary (["AND"] unary)*
    unary   := ("NOT" | "-") unary | primary
    primary := "(" or ")" | '"' words '"' | word ["*"]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from podium.errors import UsageError

WORD = re.compile(r"\w+", re.UNICODE)

MAX_DEPTH = 32
"""Deepest nesting of parentheses and NOTs a query may have. The parser, the checks and the
compilers recurse once per level, so an unbounded depth (250 parentheses, 1,000 NOTs) hit
Python's recursion limit; no one writes more than a few levels."""


@dataclass(frozen=True)
class Term:
    """One word; ``prefix`` for ``word*``."""

    word: str
    prefix: bool = False


@dataclass(frozen=True)
class Phrase:
    """Words that must appear next to each other, in order."""

    words: tuple[str, ...]


@dataclass(frozen=True)
class Not:
    """Exclusion: only valid inside an AND with at least one positive part."""

    child: Node


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


Node = Term | Phrase | Not | And | Or

_TOKEN = re.compile(r'\s+|"[^"]*"|"|\(|\)|-(?=[\w"(])|[^\s()"]+')


def _tokens(text: str) -> list[str]:
    out = []
    for tok in _TOKEN.findall(text):
        if tok.isspace():
            continue
        if tok == '"':
            raise UsageError(f'search query {text!r}: unbalanced quote; close the phrase with "')
        if tok not in {"(", ")", "-"} and not tok.startswith('"') and not WORD.search(tok):
            continue  # stray punctuation ("'", "--", "!") carries no meaning: drop it
        out.append(tok)
    return out


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.toks = _tokens(text)
        self.pos = 0
        self.depth = 0

    def error(self, what: str) -> UsageError:
        return UsageError(
            f"search query {self.text!r}: {what}. Use words, \"exact phrases\", word*, "
            "AND, OR, NOT (or -word) and parentheses"
        )

    def peek(self) -> str | None:
        return self.toks[self.pos] if self.pos < len(self.toks) else None

    def take(self) -> str:
        tok = self.toks[self.pos]
        self.pos += 1
        return tok

    def parse(self) -> Node:
        if not self.toks:
            raise self.error("the query is empty")
        node = self.parse_or()
        if self.peek() is not None:
            raise self.error(f"unexpected {self.peek()!r}")
        return node

    def parse_or(self) -> Node:
        parts = [self.parse_and()]
        while self.peek() == "OR":
            self.take()
            parts.append(self.parse_and())
        return parts[0] if len(parts) == 1 else Or(tuple(parts))

    def parse_and(self) -> Node:
        parts = [self.parse_unary()]
        while (tok := self.peek()) is not None and tok not in {"OR", ")"}:
            if tok == "AND":
                self.take()
            parts.append(self.parse_unary())
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def nest(self) -> None:
        """One level deeper (a parenthesis or a NOT); past ``MAX_DEPTH`` the query is refused."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise UsageError(
                f"search query {self.text[:60]!r}…: query nested too deeply (more than {MAX_DEPTH} "
                "parentheses or NOTs inside each other); simplify it"
            )

    def parse_unary(self) -> Node:
        tok = self.peek()
        if tok in {"NOT", "-"}:
            self.take()
            self.nest()
            node = Not(self.parse_unary())
            self.depth -= 1
            return node
        return self.parse_primary()

    def parse_primary(self) -> Node:
        tok = self.peek()
        if tok is None:
            raise self.error("it ends where a word was expected")
        if tok in {"AND", "OR", ")"}:
            raise self.error(f"{tok!r} where a word was expected")
        self.take()
        if tok == "(":
            self.nest()
            node = self.parse_or()
            if self.peek() != ")":
                raise self.error("unbalanced parenthesis; add the missing ')'")
            self.take()
            self.depth -= 1
            return node
        if tok.startswith('"'):
            words = tuple(w.lower() for w in WORD.findall(tok[1:-1]))
            if not words:
                raise self.error("an empty phrase")
            return Phrase(words) if len(words) > 1 else Term(words[0])
        prefix = tok.endswith("*")
        words = tuple(w.lower() for w in WORD.findall(tok))
        if not words:
            raise self.error(f"{tok!r} contains no letters or digits")
        if len(words) > 1:  # "U.S." or "co-operation": the parts as a phrase
            return Phrase(tuple(words))
        return Term(words[0], prefix)


def _check(node: Node) -> None:
    """Reject queries no engine can answer: a NOT with nothing positive beside it."""
    if isinstance(node, Not):
        raise UsageError("search query: NOT needs a positive term beside it, e.g. 'gas NOT oil'")
    if isinstance(node, And):
        if all(isinstance(c, Not) for c in node.children):
            raise UsageError("search query: NOT needs a positive term beside it, e.g. 'gas NOT oil'")
        for c in node.children:
            _check(c.child if isinstance(c, Not) else c)
    elif isinstance(node, Or):
        for c in node.children:
            _check(c)


def parse_query(text: str) -> Node:
    """Parse and check ``text``; raises ``UsageError`` with a one-line reason if malformed."""
    node = _Parser(text).parse()
    _check(node)
    return node


def terms(node: Node) -> list[Term | Phrase]:
    """The positive terms and phrases, for highlighting."""
    if isinstance(node, Term | Phrase):
        return [node]
    if isinstance(node, Not):
        return []
    out: list[Term | Phrase] = []
    for c in node.children:
        out.extend(terms(c))
    return out


def to_fts5(node: Node) -> str:
    """FTS5 MATCH syntax; every word is double-quoted, so no user text is read as syntax."""
    if isinstance(node, Term):
        return f'"{node.word}"' + ("*" if node.prefix else "")
    if isinstance(node, Phrase):
        return '"' + " ".join(node.words) + '"'
    if isinstance(node, Or):
        return "(" + " OR ".join(to_fts5(c) for c in node.children) + ")"
    if isinstance(node, And):
        pos = [to_fts5(c) for c in node.children if not isinstance(c, Not)]
        neg = [to_fts5(c.child) for c in node.children if isinstance(c, Not)]
        out = "(" + " AND ".join(pos) + ")"
        for n in neg:
            out = f"({out} NOT {n})"
        return out
    raise UsageError("search query: NOT needs a positive term beside it")


def to_tsquery(node: Node) -> str:
    """PostgreSQL ``to_tsquery`` syntax; words are reduced to \\w characters first."""
    if isinstance(node, Term):
        return node.word + (":*" if node.prefix else "")
    if isinstance(node, Phrase):
        return "(" + " <-> ".join(node.words) + ")"
    if isinstance(node, Not):
        return "!" + to_tsquery(node.child)
    sep = " | " if isinstance(node, Or) else " & "
    return "(" + sep.join(to_tsquery(c) for c in node.children) + ")"
