"""Mapping files: proposals from form headings, validation with file:line, reading cells."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from masterycheck.batch.proposal import propose_mapping, render_mapping
from masterycheck.batch.row_mapping import CellStatus, RowMapper
from masterycheck.core.engine import CompiledProgramme
from masterycheck.core.fields import Catalogue
from masterycheck.errors import InputError
from masterycheck.files.criteria import load_catalogue, load_programme, resolve_programme
from masterycheck.files.mapping_file import LoadedMapping, load_mapping

REPO = Path(__file__).resolve().parents[2]

MS_FORMS = (
    "ID",
    "Start time",
    "Completion time",
    "Email",
    "Name",
    "Last modified time",
    "Do you hold Qualified Teacher Status?",
    "What type of school do you teach in?",
    "Do you regularly teach maths to the same class?",
    "Are you able to fulfil the programme requirements and time commitment?",
    "Does your headteacher understand the commitment required?",
    "Which key stages do you teach?",
)
GOOGLE_FORMS = (
    "Timestamp",
    "Email address",
    "Full name",
    "do you have QTS",
    "Type of school",
    "Regularly teaching maths to the same class of children",
    "Able to fulfil the time commitment",
    "Headteacher understands commitment",
    "Key stages taught",
)


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(REPO / "criteria" / "fields.yaml")


@pytest.fixture(scope="module")
def primary(catalogue: Catalogue) -> CompiledProgramme:
    return load_programme(resolve_programme(str(REPO / "criteria" / "primary.yaml")), catalogue)


def test_proposal_matches_microsoft_forms_headings(
    catalogue: Catalogue, primary: CompiledProgramme
) -> None:
    proposal = propose_mapping(MS_FORMS, catalogue, primary)
    fields = {c.heading: c.field for c in proposal.mapping.columns}
    assert fields["Do you hold Qualified Teacher Status?"] == "qualified_status"
    assert fields["What type of school do you teach in?"] == "school_type"
    assert fields["Which key stages do you teach?"] == "key_stages_taught"
    applicant = proposal.mapping.applicant
    assert (applicant.id, applicant.name, applicant.email) == ("ID", "Name", "Email")
    assert "Start time" in proposal.mapping.ignore
    assert proposal.missing_essential == []


def test_proposal_matches_google_forms_headings_ignoring_case_and_punctuation(
    catalogue: Catalogue, primary: CompiledProgramme
) -> None:
    samples = [Counter[str]() for _ in GOOGLE_FORMS]
    samples[-1]["Key Stage 1, Key Stage 2"] = 3
    proposal = propose_mapping(GOOGLE_FORMS, catalogue, primary, samples=samples)
    fields = {c.heading: c.field for c in proposal.mapping.columns}
    assert fields["do you have QTS"] == "qualified_status"
    assert fields["Type of school"] == "school_type"
    assert proposal.mapping.applicant.email == "Email address"
    assert proposal.mapping.applicant.name == "Full name"
    many = next(c for c in proposal.mapping.columns if c.field == "key_stages_taught")
    assert many.split == "comma"


def test_proposal_lists_the_needed_fields_no_column_provides(
    catalogue: Catalogue, primary: CompiledProgramme
) -> None:
    proposal = propose_mapping(("Name", "Email", "Do you have QTS?"), catalogue, primary)
    assert "school_type" in proposal.missing_essential
    assert "head_understands_commitment" in proposal.missing_essential
    assert "qualified_status" not in proposal.missing_essential
    text = render_mapping(proposal, catalogue, source="export.csv")
    assert "Essential fields no column gives" in text and "head_understands_commitment" in text


def test_one_answer_may_set_several_fields(
    catalogue: Catalogue, primary: CompiledProgramme
) -> None:
    samples = [Counter[str]() for _ in MS_FORMS]
    samples[7]["State-funded middle school"] = 2
    proposal = propose_mapping(MS_FORMS, catalogue, primary, samples=samples)
    school = next(c for c in proposal.mapping.columns if c.field == "school_type")
    assert school.values["State-funded middle school"] == {
        "school_type": "middle",
        "state_funded": "yes",
    }
    mapper = RowMapper(LoadedMapping(proposal.mapping), MS_FORMS, catalogue)
    cells = [""] * len(MS_FORMS)
    cells[7] = "State-funded middle school"
    read = mapper.read(mapper.key(cells))
    assert read.answers["school_type"] == "middle"
    assert read.answers["state_funded"] is True


def test_proposal_round_trips_through_the_file(
    tmp_path: Path, catalogue: Catalogue, primary: CompiledProgramme
) -> None:
    samples = [Counter[str]() for _ in MS_FORMS]
    samples[6].update(["Yes, I hold QTS", "Something odd"])
    samples[11].update(["KS1;KS2;"])
    proposal = propose_mapping(MS_FORMS, catalogue, primary, samples=samples)
    path = tmp_path / "mapping.yaml"
    path.write_text(render_mapping(proposal, catalogue, source="export.csv"), encoding="utf-8")
    loaded = load_mapping(path, catalogue)
    assert loaded.mapping == proposal.mapping


def _mapping_error(tmp_path: Path, catalogue: Catalogue, text: str) -> str:
    path = tmp_path / "mapping.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_mapping(path, catalogue)
    return caught.value.one_line()


def test_mapping_file_errors_name_file_and_line(tmp_path: Path, catalogue: Catalogue) -> None:
    message = _mapping_error(
        tmp_path,
        catalogue,
        "schema_version: 1\ncolumns:\n  - heading: QTS\n    field: qualified_statu\n",
    )
    assert "mapping.yaml:4:" in message and "unknown field" in message
    message = _mapping_error(
        tmp_path,
        catalogue,
        "schema_version: 1\ncolumns:\n  - heading: QTS\n    field: qualified_status\n"
        '    values:\n      "Yes please": maybe\n',
    )
    assert "mapping.yaml:6:" in message and "maybe" not in message.split(":", 3)[0]
    message = _mapping_error(tmp_path, catalogue, "schema_version: 1\ncolumns:\n  - heading: QTS\n")
    assert "mapping.yaml:3:" in message and "field" in message
    message = _mapping_error(tmp_path, catalogue, "schema_version: 1\ncolums: []\n")
    assert "mapping.yaml:2:" in message and "unknown key" in message


def test_unreadable_cell_is_unknown_with_status(
    catalogue: Catalogue, primary: CompiledProgramme
) -> None:
    proposal = propose_mapping(MS_FORMS, catalogue, primary)
    mapper = RowMapper(LoadedMapping(proposal.mapping), MS_FORMS, catalogue)
    cells = [""] * len(MS_FORMS)
    cells[8] = "perhaps on Tuesdays"
    cells[9] = "No"
    read = mapper.read(mapper.key(cells))
    index = [c.heading for c in mapper.columns].index(MS_FORMS[8])
    assert read.statuses[index] is CellStatus.UNREADABLE
    assert "teaches_same_class_maths" not in read.answers
    no_index = [c.heading for c in mapper.columns].index(MS_FORMS[9])
    assert read.statuses[no_index] is CellStatus.NO


def test_many_of_answers_are_split_microsoft_and_google_style(
    catalogue: Catalogue, primary: CompiledProgramme
) -> None:
    for style, text in (("semicolon", "KS1;Key Stage 2;"), ("comma", "KS1, Key Stage 2")):
        proposal = propose_mapping(MS_FORMS, catalogue, primary)
        columns = [
            c.model_copy(update={"split": style}) if c.field == "key_stages_taught" else c
            for c in proposal.mapping.columns
        ]
        mapping = proposal.mapping.model_copy(update={"columns": columns})
        mapper = RowMapper(LoadedMapping(mapping), MS_FORMS, catalogue)
        cells = [""] * len(MS_FORMS)
        cells[11] = text
        assert mapper.read(mapper.key(cells)).answers["key_stages_taught"] == frozenset(
            {"ks1", "ks2"}
        )


def test_heading_missing_from_the_export_is_named_at_the_mapping_line(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    path = tmp_path / "mapping.yaml"
    path.write_text(
        "schema_version: 1\ncolumns:\n  - heading: QTS held\n    field: qualified_status\n",
        encoding="utf-8",
    )
    loaded = load_mapping(path, catalogue)
    with pytest.raises(InputError) as caught:
        RowMapper(loaded, ("Name", "Email"), catalogue)
    assert "mapping.yaml:3:" in caught.value.one_line()


@pytest.mark.parametrize(
    ("programme_id", "required"), [("primary", False), ("post16", False), ("secondary", True)]
)
def test_in_england_is_needed_only_where_the_criterion_asks_it(
    catalogue: Catalogue, programme_id: str, required: bool
) -> None:
    """Issue 10, item 1: secondary's criterion says "in England", so a form must ask it;
    primary and post-16 read no answer as England (``unless``), so an export without the
    question still screens, and a column that gives it is still used."""
    from masterycheck.files.mapping_file import needed_fields

    compiled = load_programme(resolve_programme(programme_id), catalogue)
    essential, other = needed_fields(compiled)
    assert ("in_england" in essential) is required
    assert ("in_england" in other) is not required


# --- mapping --check: re-reading an edited mapping against its export (issue 11, item 7) ----


def _check_export(tmp_path: Path) -> Path:
    export = tmp_path / "export.csv"
    export.write_text(
        "Email address,Full name,Do you have QTS?,Type of school,Anything else\n"
        "a@b.org,Ann Lee,Yes,Primary,x\n"
        "c@d.org,Bob Ray,Yes,Forest co-op,y\n"
        "e@f.org,Cy Dee,No,Forest co-op,z\n",
        encoding="utf-8",
    )
    return export


def _run(*args: str | Path) -> tuple[int, str]:
    from typer.testing import CliRunner

    from masterycheck.cli.app import app

    result = CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)
    return result.exit_code, result.output


def test_mapping_check_lists_answers_still_unplaced_and_exits_1(tmp_path: Path) -> None:
    export = _check_export(tmp_path)
    mapping = tmp_path / "m.yaml"
    mapping.write_text(
        "programme: primary\n"
        "applicant: {name: Full name, email: Email address}\n"
        "columns:\n"
        "  - {heading: Do you have QTS?, field: qualified_status}\n"
        "  - {heading: Type of school, field: school_type}\n"
        "ignore: [Anything else]\n",
        encoding="utf-8",
    )
    code, output = _run("mapping", "--check", mapping, export)
    assert code == 1
    assert "Answers still not placed (1)" in output
    assert "'Type of school': 'Forest co-op' (2 row(s))" in output
    assert "teaches_same_class_maths" in output  # essential, no column


def test_mapping_check_of_a_settled_mapping_exits_0_and_refuses_another_programme(
    tmp_path: Path,
) -> None:
    export = _check_export(tmp_path)
    mapping = tmp_path / "m.yaml"
    mapping.write_text(
        "programme: primary\n"
        "applicant: {name: Full name, email: Email address}\n"
        "columns:\n"
        "  - {heading: Do you have QTS?, field: qualified_status}\n"
        "  - heading: Type of school\n"
        "    field: school_type\n"
        "    values: {Forest co-op: null}\n"
        "ignore: [Anything else]\n",
        encoding="utf-8",
    )
    code, output = _run("mapping", "--check", mapping, export, "--programme", "post16")
    assert code == 2 and "the mapping is for primary" in output
    tight = load_programme(resolve_programme("primary"), load_catalogue())
    from masterycheck.files.mapping_file import needed_fields

    essential, _ = needed_fields(tight)
    text = mapping.read_text(encoding="utf-8")
    others = [f for f in essential if f not in {"qualified_status", "school_type"}]
    text += "constants:\n" + "".join(f'  {f}: "yes"\n' for f in others)
    mapping.write_text(text, encoding="utf-8")
    code, output = _run("mapping", "--check", mapping, export)
    assert code == 0, output
    assert "Nothing left to decide" in output
    assert "'Type of school': 'Forest co-op'" in output  # listed as unknown by choice


def test_mapping_check_names_the_mapping_line_of_a_heading_the_export_lacks(
    tmp_path: Path,
) -> None:
    export = _check_export(tmp_path)
    mapping = tmp_path / "m.yaml"
    mapping.write_text(
        "programme: primary\ncolumns:\n  - {heading: Not there, field: qualified_status}\n",
        encoding="utf-8",
    )
    code, output = _run("mapping", "--check", mapping, export)
    assert code == 2
    assert "m.yaml:3:" in output and "no column headed 'Not there'" in output
