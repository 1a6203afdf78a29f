"""Personal data never printed: phone numbers, email addresses, ID and card numbers in
verbatims are masked before a report shows them."""
import re

PATTERNS = [
    re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"),                 # email addresses
    re.compile(r"(?<!\d)(\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)"),   # CN mobiles
    re.compile(r"(?<![\dA-Za-z])\d{6}(19|20)\d{7}[\dXx](?![\dA-Za-z])"),     # resident ID
    re.compile(r"(?<!\d)\d(?:[ -]?\d){6,}(?!\d)"),             # other long digit runs
]
MASK = "＊＊＊"


def redact(text):
    for pattern in PATTERNS:
        text = pattern.sub(MASK, text)
    return text


def representative(pool, count=5, shortest=8, longest=400):
    """A few distinct, readable comments: not one-word, not walls of text first."""
    chosen, seen = [], set()
    ranked = sorted(pool, key=lambda v: (not shortest <= len(v["text"]) <= longest,
                                         abs(len(v["text"]) - 60)))
    for item in ranked:
        key = item["text"].strip()[:40]
        if key in seen:
            continue
        seen.add(key)
        chosen.append({**item, "text": redact(item["text"])})
        if len(chosen) == count:
            break
    return chosen
