"""Consent to be contacted (China's PIPL): the line under a contact question, with the
purpose the survey declares (settings page), and its record with the response.

The respondent ticks "<question>.consent" (the JSON intake sends `"<question>.consent": true`);
contact details without it are refused with "consent_needed". What was agreed to, in which
language and when, is stored in responses.consent as JSON.
"""
import json

from ..core import settings
from .respondent_texts import word

SUFFIX = "consent"


def purpose(survey, language):
    custom = ((survey or {}).get("contact_purpose") or {}).get(language)
    return custom or word("consent_purpose_default", language)


def line(survey, organisation, language):
    """The sentence shown beside the consent box."""
    return word("consent_line", language, purpose=purpose(survey, language),
                org=organisation or word("consent_org_default", language))


def record(db, visit, answers, now):
    """responses.consent for a completed response: '' when nobody agreed to anything."""
    questions = sorted(k.partition(".")[0] for k, v in answers.items()
                       if k.endswith(f".{SUFFIX}") and v is True)
    if not questions:
        return ""
    organisation = settings.get(db, "org.name")
    return json.dumps({"questions": questions, "language": visit.language, "at": now,
                       "text": line(visit.survey, organisation, visit.language)},
                      ensure_ascii=False)
