"""The proposal as a commented YAML mapping file, with a review list at the top."""

from __future__ import annotations

import json

from masterycheck.batch.proposal.propose import Confidence, Proposal
from masterycheck.core.fields import Catalogue, FieldType
from masterycheck.files.mapping_file import Setting
from masterycheck.outputs.inert_text import escape_json_controls

_SHOWN = 60  # longest heading or answer quoted in full in the review list


def quote(text: str) -> str:
    """``text`` as a YAML double-quoted scalar (a JSON string, controls escaped)."""
    # json.dumps leaves DEL, the C1 and bidirectional controls raw; YAML's \u escape means the
    # same, and a terminal showing the proposal never obeys them.
    return escape_json_controls(json.dumps(text, ensure_ascii=False))


def _short(text: str) -> str:
    text = " ".join(text.split())
    return quote(text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…")


def _setting_yaml(setting: Setting) -> str:
    if setting is None:
        return "null"
    if isinstance(setting, str):
        return quote(setting)
    inner = ", ".join(f"{key}: {_setting_yaml(value)}" for key, value in setting.items())
    return "{" + inner + "}"


def review_lines(proposal: Proposal, catalogue: Catalogue) -> list[str]:
    """The review list, in order: columns it is unsure of, answers it could not place,
    essential fields no column gives (and the constant it suggests). Empty when all is clear.
    """
    lines: list[str] = []
    mapping = proposal.mapping
    field_of = {c.heading: c.field for c in mapping.columns}
    unsure = proposal.unsure
    if unsure:
        lines.append(f"# 1. Columns to check ({len(unsure)}): is each one the field given?")
        for heading in unsure:
            choice = proposal.confidence[heading]
            lines.append(f"#    - {_short(heading)} -> {field_of[heading]}: {choice.describe()}")
    placed = sum(len(a) for a in proposal.unrecognised.values())
    if placed:
        lines.append(
            f"# 2. Answers not placed ({placed}): each is null (unknown) until you choose its "
            "value under `values`."
        )
        for heading, answers in proposal.unrecognised.items():
            for answer in answers:
                lines.append(f"#    - {_short(heading)}: {_short(answer)}")
    if proposal.missing_essential:
        lines.append(
            f"# 3. Essential fields no column gives ({len(proposal.missing_essential)}): map a "
            "column to each, set a constant, or screen with --allow-missing (left unknown)."
        )
        for field_id in proposal.missing_essential:
            note = ""
            if field_id in proposal.constants:
                value, _ = proposal.constants[field_id]
                note = f" (suggested constant below: {field_id}: {quote(value)})"
            lines.append(f"#    - {field_id}: {catalogue.by_id[field_id].question}{note}")
    if lines:
        lines.insert(0, "# TO REVIEW, in this order:")
    else:
        lines.append("# TO REVIEW: nothing left unsure; still read it through once.")
    return lines


def render_mapping(proposal: Proposal, catalogue: Catalogue, *, source: str) -> str:
    """The proposal as a commented YAML mapping file for a person to review."""
    mapping = proposal.mapping
    lines = [
        "# Mapping of a form export's columns to masterycheck profile fields.",
        f"# Proposed by `masterycheck mapping` from {source}"
        + (f" for the {mapping.programme} programme." if mapping.programme else "."),
        "# Columns are matched by their headings' words and by their answers; answers under",
        "# `values` map to a choice, to null (unknown), or to several fields at once",
        "# ({field: answer, ...}). Re-check an edited file with",
        "# `masterycheck mapping --check THIS_FILE EXPORT`.",
        "#",
        *review_lines(proposal, catalogue),
    ]
    if proposal.missing_other:
        lines.append("#")
        lines.append("# Not provided (desirable or evidence criteria; they stay unknown):")
        for field_id in proposal.missing_other:
            lines.append(f"#   - {field_id}: {catalogue.by_id[field_id].question}")
    lines += ["schema_version: 1"]
    if mapping.programme:
        lines.append(f"programme: {mapping.programme}")
    lines.append("applicant:  # columns that identify an applicant and their submission")
    roles = mapping.applicant.model_dump(exclude_none=True)
    if not roles:
        lines[-1] = "applicant: {}  # no ID, name or email column was recognised"
    for role, heading in roles.items():
        lines.append(f"  {role}: {quote(heading)}")
    lines.append("columns:" if mapping.columns else "columns: []")
    for column in mapping.columns:
        field = catalogue.by_id[column.field]
        choice = proposal.confidence.get(column.heading)
        note = f"  # {choice.describe()}" if choice is not None else ""
        if choice is not None and choice.confidence is not Confidence.SURE:
            note += ": check"
        lines.append(f"  - heading: {quote(column.heading)}{note}")
        lines.append(f"    field: {column.field}  # {field.type.value}: {field.label}")
        if column.split is not None:
            how = (
                'Microsoft Forms style "a;b;"'
                if column.split == "semicolon"
                else 'Google Forms style "a, b"'
            )
            lines.append(f"    split: {column.split}  # {how}")
        if column.values:
            lines.append("    values:")
            for answer, setting in column.values.items():
                comment = ""
                if setting is None:
                    comment = f"  # not placed: choose {', '.join(field.choice_ids)} or null"
                    if field.type is FieldType.YES_NO:
                        comment = '  # not placed: choose "yes", "no" or null'
                lines.append(f"      {quote(answer)}: {_setting_yaml(setting)}{comment}")
    if proposal.constants:
        lines.append("# constants:  # the hub's statement for every applicant: uncomment to use")
        for field_id, (value, why) in proposal.constants.items():
            lines.append(f"#   {field_id}: {quote(value)}  # {why}")
    lines.append("keep:  # free text carried into the results (replaced with --redact)")
    if not mapping.keep:
        lines[-1] = "keep: []  # free-text columns to carry into the results"
    lines += [f"  - {quote(heading)}" for heading in mapping.keep]
    if proposal.free_text:
        lines.append(
            "  # Long free text is left in the export (it is listed under ignore). To carry it"
        )
        lines.append("  # into the results, write `keep:` with these and take them from ignore:")
        lines += [f"  # - {quote(heading)}" for heading in proposal.free_text]
    lines.append("ignore:" if mapping.ignore else "ignore: []")
    lines += [f"  - {quote(heading)}" for heading in mapping.ignore]
    return "\n".join(lines) + "\n"
