"""The respondent pages at /s/<token>: one form per survey page, no JavaScript needed.

GET shows the respondent's current page (resumed from the device cookie or the
invitation); POST validates the page against the version, then saves it as a
partial response or completes the response, and redirects (post/redirect/get).
The form is exempt from CSRF (anonymous, no session); the resume token in the
form and the cookie, the honeypot and the rate limits protect it instead.
"""
import json
import secrets

from flask import Blueprint, current_app, g, redirect, render_template, request, url_for

from ..core import settings
from ..core.db import get_db
from ..surveys import definition
from . import answers as answer_rules
from . import admission, form_input, intake, integrity, limits, links, page_view
from .respondent_texts import word, wording_for

bp = Blueprint("respond", __name__)
COOKIE_DAYS = 30
DEVICE_COOKIE, DEVICE_DAYS = "tj_d", 400   # the device, for the per-device limits
MAX_FORM_BYTES = 256 * 1024
BACK = "_nav"   # the Back button's name (value "back"); Next/Submit send no _nav


def _visit(token):
    return admission.open_visit(get_db(), token, request.args,
                           [lang for lang, _q in request.accept_languages])


def _cookie_name(survey_id):
    return f"tj_r{survey_id}"


def _current_response(visit, form_token=None):
    """The partial (or just completed) response of this device/invitation, or None."""
    db = get_db()
    token = form_token or request.cookies.get(_cookie_name(visit.survey["id"]))
    response = intake.response_by_token(db, visit.survey["id"], token)
    if response is None and visit.link["single_use"]:
        response = db.execute("SELECT * FROM responses WHERE link_id = ? ORDER BY id DESC LIMIT 1",
                              (visit.link["id"],)).fetchone()
        response = dict(response) if response else None
    if response and response["link_id"] != visit.link["id"] and response["status"] == "complete":
        return None
    return response


def _resume(visit, response):
    """Continue in the language and with the hidden fields the response started with."""
    if request.args.get("lang") not in visit.doc["languages"]:
        visit.language = response["language"]
    visit.hidden, visit.unit_id, visit.channel = (json.loads(response["hidden"]),
                                                  response["unit_id"], response["channel"])
    stored = json.loads(response["answers"])
    if response["contact_enc"]:
        stored.update(json.loads(intake.keyring().decrypt(response["contact_enc"])))
    return stored


@bp.route("/s/<token>", methods=["GET"])
def survey(token):
    try:
        visit = _visit(token)
        response = _current_response(visit)
        if response and response["status"] == "complete":
            if visit.link["single_use"]:
                raise admission.Refused("answered", visit.survey, visit.language)
            response = None
        answers = _resume(visit, response) if response else {}
        if response is None:
            admission.check_unused(visit)
            admission.check_quota(get_db(), visit)
            integrity.check_device(get_db(), visit, _device(known_only=True))
        links.mark_opened(get_db(), visit.link)
    except admission.Refused as refused:
        return refusal(refused)
    page_key = response["current_page"] if response else _first_page(visit, {})
    resume_token = response["resume_token"] if response else secrets.token_urlsafe(16)
    return render_page(visit, page_key, answers, answers, {}, resume_token)


@bp.route("/s/<token>", methods=["POST"])
def submit_page(token):
    request.max_content_length = MAX_FORM_BYTES
    form = request.form
    if form.get(form_input.HONEYPOT):
        return redirect(_thanks_url(token))   # a bot: pretend it worked, store nothing
    try:
        visit = _visit(token)
        if not limits.allow_page_post(get_db(), request.remote_addr, visit.link["id"],
                                      form.get("_rt")):
            raise admission.Refused("busy", visit.survey, visit.language)
        return _handle_page(visit, token, form)
    except admission.Refused as refused:
        return refusal(refused)


def _handle_page(visit, token, form):
    resume_token = form.get("_rt", "")[:64] or secrets.token_urlsafe(16)
    response = _current_response(visit, form.get("_rt"))
    if response and response["status"] == "complete":
        if response["resume_token"] == form.get("_rt"):
            return redirect(_thanks_url(token))   # the same final page sent twice
        raise admission.Refused("answered", visit.survey, visit.language)
    earlier = _resume(visit, response) if response else {}
    if response is None:
        admission.check_unused(visit)
        integrity.check_device(get_db(), visit, _device(known_only=True))
    page_key = response["current_page"] if response else _first_page(visit, {})
    if not form.get("_page"):   # not our form (or bytes that are not UTF-8): show the page again
        return render_page(visit, page_key, earlier, {}, {}, resume_token, "expired"), 400
    if form.get("_page") != page_key:
        return redirect(request.full_path)   # a page sent again after moving on: no change
    questions = page_view.page_questions(visit.doc, page_key)
    parsed = form_input.parse(questions, form)
    others = answer_rules.without_page(visit.doc, earlier, page_key)
    clean, errors = answer_rules.check_answers(visit.doc, parsed, visit.hidden, page_key, others)
    if form.get(BACK) == "back":
        return _go_back(visit, response, earlier if errors else {**others, **clean}, page_key,
                        resume_token)
    if errors:
        return render_page(visit, page_key, {**others, **clean}, parsed, errors, resume_token), 400
    merged = {**others, **clean}
    next_page = _page_after(visit, merged, page_key)
    if next_page is None:
        return _finish(visit, token, merged, response, resume_token)
    intake.save_partial(get_db(), visit, response, merged, next_page, resume_token,
                        request.remote_addr, device=_device())
    return _with_cookie(redirect(request.full_path), visit, resume_token)


def _device(known_only=False):
    """The hashed device id from the tj_d cookie; a new one is made (and set with the
    resume cookie) unless known_only, which answers None for a device seen first now."""
    cookie = request.cookies.get(DEVICE_COOKIE, "")[:64]
    if not cookie and not known_only:
        cookie = g.setdefault("new_device", secrets.token_urlsafe(16))
    return integrity.device_hash(cookie)
@bp.route("/s/<token>/save", methods=["POST"])
def save_page(token):
    """What the respondent typed on the page, sent by respond_save.js as they leave it
    (tab hidden or closed): the valid answers are kept for when they come back."""
    request.max_content_length = MAX_FORM_BYTES
    form = request.form
    if form.get(form_input.HONEYPOT) or not form.get("_page"):
        return "", 204
    try:
        visit = _visit(token)
        if not limits.allow_page_post(get_db(), request.remote_addr, visit.link["id"]):
            return "", 429
        resume_token = form.get("_rt", "")[:64] or secrets.token_urlsafe(16)
        response = _current_response(visit, form.get("_rt"))
        kept = _keep_typed(visit, response, form, resume_token)
    except admission.Refused:
        return "", 204
    return _with_cookie(current_app.make_response(("", 204)), visit, resume_token) if kept \
        else ("", 204)


def _keep_typed(visit, response, form, resume_token):
    """Save the page's valid answers without moving on; False when there is nothing to keep."""
    if response and response["status"] != "partial":
        return False
    page_key = response["current_page"] if response else _first_page(visit, {})
    if form.get("_page") != page_key:
        return False
    earlier = _resume(visit, response) if response else {}
    if response is None:
        admission.check_unused(visit)
    parsed = form_input.parse(page_view.page_questions(visit.doc, page_key), form)
    others = answer_rules.without_page(visit.doc, earlier, page_key)
    clean, _errors = answer_rules.check_answers(visit.doc, parsed, visit.hidden, page_key, others)
    if not clean and response is None:
        return False
    intake.save_partial(get_db(), visit, response, {**others, **clean}, page_key, resume_token,
                        request.remote_addr)
    return True


def _go_back(visit, response, answers, page_key, resume_token):
    """Save the page if it is valid (else keep what was saved) and show the page reached before."""
    previous = _page_before(visit, answers, page_key)
    if response is None or previous is None:   # nothing saved yet: the first page stays
        return redirect(request.full_path)
    intake.save_partial(get_db(), visit, response, answers, previous, resume_token,
                        request.remote_addr)
    return _with_cookie(redirect(request.full_path), visit, resume_token)


def _finish(visit, token, merged, response, resume_token):
    merged = answer_rules.only_shown(visit.doc, merged, visit.hidden)
    clean, errors = answer_rules.check_answers(visit.doc, merged, visit.hidden)
    if errors:   # an earlier page no longer fits (e.g. the survey logic changed): show it
        current_app.logger.info("response %s rejected at the end: %s", resume_token, errors)
        return render_page(visit, _first_page(visit, merged), merged, merged, errors,
                           resume_token), 400
    integrity.check_device(get_db(), visit, _device(known_only=True))
    intake.complete(get_db(), visit, clean, response, resume_token, request.remote_addr,
                    device=_device())
    return _with_cookie(redirect(_thanks_url(token, visit.language)), visit, resume_token)


def _first_page(visit, answers):
    return definition.reached_pages(visit.doc, answers, visit.hidden)[0]


def _page_after(visit, answers, page_key):
    reached = definition.reached_pages(visit.doc, answers, visit.hidden)
    index = reached.index(page_key) if page_key in reached else len(reached)
    return reached[index + 1] if index + 1 < len(reached) else None


def _page_before(visit, answers, page_key):
    reached = definition.reached_pages(visit.doc, answers, visit.hidden)
    index = reached.index(page_key) if page_key in reached else len(reached)
    return reached[index - 1] if index > 0 else None


def _with_cookie(response, visit, resume_token):
    response.set_cookie(_cookie_name(visit.survey["id"]), resume_token,
                        max_age=COOKIE_DAYS * 86400, path="/s/", httponly=True, samesite="Lax",
                        secure=current_app.config["SECURE_COOKIES"])
    if g.get("new_device"):
        response.set_cookie(DEVICE_COOKIE, g.new_device, max_age=DEVICE_DAYS * 86400,
                            path="/s/", httponly=True, samesite="Lax",
                            secure=current_app.config["SECURE_COOKIES"])
    return response


def _thanks_url(token, language=None):
    lang = language or request.args.get("lang", "")
    return f"/s/{token}/thanks" + (f"?lang={lang}" if lang in definition.LANGUAGES else "")


@bp.route("/s/<token>/thanks")
def thanks(token):
    try:
        visit = _visit(token)
    except admission.Refused as refused:
        if refused.reason != "closed" or refused.survey is None:
            return refusal(refused)
        visit = None
    doc = visit.doc if visit else None
    language = visit.language if visit else _asked_language()
    message = definition.text_for(doc.get("thank_you"), language, doc["default_language"]) \
        if doc else ""
    return render_template("collection/message.html", w=wording_for(language),
                           language=language, title=word("thanks_title", language),
                           message=message or word("thanks_default", language), kind="thanks",
                           survey_title=_title(doc, language))


def render_page(visit, page_key, answers, values, errors, resume_token, notice=""):
    reached = definition.reached_pages(visit.doc, answers, visit.hidden)
    number = reached.index(page_key) + 1 if page_key in reached else 1
    page = next(p for p in visit.doc["pages"] if p["key"] == page_key)
    lang, default = visit.language, visit.doc["default_language"]
    return render_template(
        "collection/respond.html", w=wording_for(lang), language=lang, visit=visit,
        survey_title=_title(visit.doc, lang), page=page, page_key=page_key,
        page_title=definition.text_for(page.get("title"), lang, default),
        intro=definition.text_for(visit.doc.get("intro"), lang, default) if number == 1 else "",
        questions=page_view.build(visit, page_key, answers, values, errors, resume_token,
                                  settings.get(get_db(), "org.name")),
        errors=errors, notice=notice, number=number, total=max(len(reached), number),
        is_last=_page_after(visit, answers, page_key) is None,
        has_back=_page_before(visit, answers, page_key) is not None, back_name=BACK,
        resume_token=resume_token, action=request.full_path.rstrip("?"),
        save_url=url_for("respond.save_page", token=visit.link["token"], **request.args),
        honeypot=form_input.HONEYPOT)


def _title(doc, language):
    return definition.text_for(doc.get("title"), language, doc["default_language"]) if doc else ""


STATUS = {"missing": 404, "closed": 410, "full": 410, "answered": 409, "repeat": 409,
          "busy": 429}


def refusal(refused):
    survey = refused.survey or {}
    language = refused.language or _asked_language()
    custom = (survey.get("close_message") or {}).get(language) \
        if refused.reason in ("closed", "full") else ""
    return render_template(
        "collection/message.html", w=wording_for(language), language=language,
        kind=refused.reason, title=word(f"{refused.reason}_title", language),
        message=custom or word(f"{refused.reason}_default", language),
        survey_title=""), STATUS[refused.reason]


def _asked_language():
    if request.args.get("lang") in definition.LANGUAGES:
        return request.args["lang"]
    best = request.accept_languages.best_match(["zh-CN", "zh", "en"])
    return "en" if best == "en" else "zh_CN"
