"""Read a draft document sent by the designer, refusing what could never be a survey.

Bad input is answered with a DraftRejected (400/413) and nothing is stored. What passes is a
document skeleton (an object whose pages and questions are objects): it is stored even when
incomplete and definition.validate() reports its problems. Control characters other than tab
and line breaks are removed from every string.
"""
import json
import re

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 12          # document > pages > page > questions > question > display_if > all > ...
MAX_NUMBER = 1e12
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class DraftRejected(Exception):
    def __init__(self, message, status=400):
        super().__init__(message)
        self.status = status


def parse(body, content_length=None):
    """Bytes -> cleaned document dict, or DraftRejected."""
    if (content_length or 0) > MAX_BYTES or len(body) > MAX_BYTES:
        raise DraftRejected(f"the document is larger than {MAX_BYTES // 1024 // 1024} MB", 413)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise DraftRejected("the body is not valid UTF-8 text") from None
    try:
        data = json.loads(text)
    except RecursionError:
        raise DraftRejected("the document is nested too deeply") from None
    except json.JSONDecodeError as exc:
        raise DraftRejected(f"the body is not valid JSON ({exc.msg} at position {exc.pos})") from None
    except ValueError:   # e.g. an integer of more than 4,300 digits
        raise DraftRejected("the body holds a number too long to read") from None
    if isinstance(data, dict) and set(data) == {"document"}:
        data = data["document"]     # {"document": {...}} is accepted as well as the bare document
    document = clean(data)
    problem = skeleton_problem(document)
    if problem:
        raise DraftRejected(problem)
    return document


def clean(value, depth=0):
    """Copy of value with control characters removed; refuses deep nesting and broken text."""
    if depth > MAX_DEPTH:
        raise DraftRejected(f"the document is nested more than {MAX_DEPTH} levels deep")
    if isinstance(value, dict):
        return {clean(k, depth + 1): clean(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [clean(v, depth + 1) for v in value]
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise DraftRejected("the document contains broken characters (lone surrogates)") \
                from None
        return CONTROL.sub("", value)
    if isinstance(value, (int, float)) and not isinstance(value, bool) \
            and not abs(value) <= MAX_NUMBER:
        raise DraftRejected(f"numbers must be finite and at most {MAX_NUMBER:g} in size")
    return value


def skeleton_problem(document):
    """The designer can open any document with this shape; anything else is refused."""
    if not isinstance(document, dict):
        return "the document must be a JSON object"
    pages = document.get("pages")
    if not isinstance(pages, list) or not 1 <= len(pages) <= 100:
        return "pages must be a list of 1 to 100 pages"
    for page in pages:
        if not isinstance(page, dict) or not isinstance(page.get("questions"), list):
            return "every page must be an object with a list of questions"
        if len(page["questions"]) > 300:
            return "a page holds at most 300 questions"
        if not all(isinstance(q, dict) for q in page["questions"]):
            return "every question must be an object"
    return None
