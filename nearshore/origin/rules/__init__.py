"""USMCA product-specific rules of origin: rule language, parser, shipped rules and their index.

rules_for("8708.29")      -> the rule(s) governing a code, most specific first (NoRuleError if none)
notes_for("8708.29")      -> chapter / heading / subheading / section notes for the code
rule_report()             -> parse coverage of the shipped rules, unparsed ones with reasons
load_rule_file(path)      -> a user's rules (same schema), validated
shipped_rules().with_rules(rules) -> a RuleBook with user rules added (they win ties)
TariffShift.satisfied_by  -> does a non-originating material's classification make the required change
"""

from __future__ import annotations

from nearshore.errors import NoRuleError, RuleFileError, RuleParseError
from nearshore.origin.rules.index import (
    Report,
    RuleBook,
    UnparsedRule,
    load_rule_file,
    narrower_rules,
    notes_for,
    rule_report,
    rules_for,
    shipped_rules,
)
from nearshore.origin.rules.model import (
    RULE_COLUMNS,
    Alternative,
    CodeRange,
    Condition,
    Level,
    NoChangeRequired,
    ProcessRule,
    ProductRule,
    RvcRequirement,
    TariffShift,
)
from nearshore.origin.rules.parser import parse_rule_text

__all__ = [
    "RULE_COLUMNS",
    "Alternative",
    "CodeRange",
    "Condition",
    "Level",
    "NoChangeRequired",
    "NoRuleError",
    "ProcessRule",
    "ProductRule",
    "Report",
    "RuleBook",
    "RuleFileError",
    "RuleParseError",
    "RvcRequirement",
    "TariffShift",
    "UnparsedRule",
    "load_rule_file",
    "narrower_rules",
    "notes_for",
    "parse_rule_text",
    "rule_report",
    "rules_for",
    "shipped_rules",
]
