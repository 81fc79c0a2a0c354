"""The path to eligibility: the smallest set of changes to an assessment that flips its verdict.

Pure: no printing, no files. Read from the criteria's results, after them: each essential not
met is a change to make, each the hub is to confirm a step asking the hub, and each unknown
essential fact a question to answer (criteria waiting on the same question share one step).
"""

from __future__ import annotations

from masterycheck.core.answers import Value
from masterycheck.core.compiled_programme import CompiledProgramme
from masterycheck.core.fields import FieldType
from masterycheck.core.results import CriterionResult, PathStep, made
from masterycheck.core.vocabulary import Kind, Level, Outcome


def path_to_eligibility(
    compiled: CompiledProgramme, results: list[CriterionResult], answers: dict[str, Value]
) -> list[PathStep]:
    """The smallest set of failed or unknown essentials whose change flips the verdict.

    Every essential that is not met must change and every essential fact that is unknown
    must be settled, so that set is the path; criteria that hinge on the same unanswered
    question share one step.
    """
    by_id = {c.criterion.id: c for c in compiled.criteria}
    catalogue = compiled.catalogue
    derived_from = dict(compiled.derived)
    steps: list[PathStep] = []
    questions: dict[str, list[str]] = {}
    for result in results:
        if result.level is not Level.ESSENTIAL:
            continue
        criterion = by_id[result.id].criterion
        if result.outcome is Outcome.NOT_MET:
            action = criterion.action or (
                f"You answered no to “{criterion.text}”: the hub judges it from your "
                "application, so apply only if your statement can evidence it"
                if criterion.kind is Kind.EVIDENCE
                else f"Meet “{criterion.text}”"
            )
            steps.append(
                made(
                    PathStep,
                    kind="change",
                    action=action,
                    criteria=[result.id],
                    fields=list(by_id[result.id].rule.fields),
                )
            )
        elif result.hub_to_confirm:
            steps.append(
                made(
                    PathStep,
                    kind="hub",
                    action=f"Ask your Maths Hub to confirm: {result.hub_note}",
                    criteria=[result.id],
                    fields=list(by_id[result.id].rule.fields),
                )
            )
        elif result.outcome is Outcome.UNKNOWN and result.kind is Kind.FACT:
            compiled_criterion = by_id[result.id]
            unknown = compiled_criterion.rule.evaluate(answers).unknown_fields
            if not unknown and compiled_criterion.hub is not None:
                unknown = compiled_criterion.hub.evaluate(answers).unknown_fields
            missing = [derived_from.get(name, name) for name in unknown]
            for name in missing or list(compiled_criterion.rule.fields):
                questions.setdefault(name, [])
                if result.id not in questions[name]:
                    questions[name].append(result.id)
    given = {
        derived_from.get(used.field, used.field): used.unreadable
        for result in results
        for used in result.answers
        if used.unreadable is not None
    }
    for name, criteria in questions.items():
        field = catalogue.by_id[name]
        if name in given:
            action = f"Answer again, in a form the checker reads ({given[name]} could not be "
            action += f"read): {field.question}"
        elif name in answers:
            exact = "a month or a date" if field.type is FieldType.DATE else "an exact number"
            action = f"Give a more exact answer ({exact}) to: {field.question}"
        else:
            action = f"Answer: {field.question}"
        steps.append(made(PathStep, kind="answer", action=action, criteria=criteria, fields=[name]))
    return steps
