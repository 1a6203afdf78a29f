"""What the respondent pages say, in the survey's languages (independent of the staff UI locale)."""

WORDS = {
    "next": ("下一页", "Next"),
    "back": ("上一页", "Back"),
    "submit": ("提交", "Submit"),
    "required_mark": ("必答", "required"),
    "fix_errors": ("请检查标出的问题。", "Please check the highlighted questions."),
    "required": ("请回答此题。", "Please answer this question."),
    "unknown_question": ("问卷中没有这道题。", "This question is not part of the survey."),
    "not_shown": ("这道题不应作答。", "This question was not shown, so it cannot be answered."),
    "bad_choice": ("请选择给出的选项。", "Choose one of the offered options."),
    "too_few": ("选择的项目太少。", "Choose more options."),
    "too_many": ("选择的项目太多。", "Choose fewer options."),
    "out_of_range": ("超出允许的范围。", "This value is out of range."),
    "every_row": ("请回答每一行。", "Please answer every row."),
    "rank_all": ("请为每个选项排出不同的名次。", "Give every option a different rank."),
    "bad_type": ("答案格式不正确。", "This answer has the wrong format."),
    "control_chars": ("包含不允许的控制字符。", "Contains characters that are not allowed."),
    "too_short": ("内容太短。", "This answer is too short."),
    "too_long": ("内容太长。", "This answer is too long."),
    "bad_number": ("请输入数字。", "Enter a number."),
    "whole_number": ("请输入整数。", "Enter a whole number."),
    "bad_date": ("请输入有效日期。", "Enter a valid date."),
    "contact_all": ("请填写全部联系方式。", "Please fill in every contact field."),
    "bad_phone": ("请填写 11 位手机号码（如 13800138000），或以 + 开头的国际号码（如 +852 9123 4567）。",
                  "Enter an 11-digit mainland mobile number (e.g. 13800138000) or an international "
                  "number starting with + (e.g. +44 20 7946 0958)."),
    "bad_email": ("邮箱格式不正确，请填写如 name@example.com 的地址。",
                  "Enter an email address such as name@example.com."),
    "consent_needed": ("留下联系方式前，请勾选同意我们使用它。",
                       "Please tick the box to agree to this use before leaving your contact details."),
    "consent_line": ("我同意{org}{purpose}使用以上联系方式；联系方式加密保存，不作他用。",
                     "I agree that {org} may use these contact details {purpose}; they are stored "
                     "encrypted and used for nothing else."),
    "consent_purpose_default": ("仅为就本次反馈与我联系而", "only to contact me about this feedback"),
    "consent_org_default": ("本单位", "the organisation"),
    "other_needed": ("请填写“其他”的具体内容。", "Please specify \"other\"."),
    "other_specify": ("请注明", "Please specify"),
    "choose": ("请选择", "Choose…"),
    "rank": ("名次", "Rank"),
    "move_up": ("上移", "Move up"),
    "move_down": ("下移", "Move down"),
    "moved": ("“{item}”现在排第 {n} 位", "“{item}” is now number {n}"),
    "name": ("姓名", "Name"),
    "phone": ("手机", "Phone"),
    "email": ("邮箱", "Email"),
    "page_of": ("第 {n} 页，共 {total} 页", "Page {n} of {total}"),
    "thanks_title": ("提交成功", "Response received"),
    "thanks_default": ("感谢您的反馈！", "Thank you for your feedback!"),
    "closed_title": ("问卷已结束", "This survey is closed"),
    "closed_default": ("本次调查已结束，感谢您的关注。", "This survey has ended. Thank you for your interest."),
    "full_title": ("名额已满", "This survey is full"),
    "full_default": ("本次调查已收集到足够的反馈，感谢您的关注。",
                     "We have received all the responses we need. Thank you for your interest."),
    "answered_title": ("您已作答", "Already answered"),
    "answered_default": ("这份问卷您已经填写过了，感谢您的参与。",
                         "This survey has already been answered with this link. Thank you!"),
    "repeat_title": ("您已作答", "Already answered"),
    "repeat_default": ("您已在这台设备上填写过这份问卷，感谢您的参与。",
                       "You have already answered this survey on this device. Thank you!"),
    "missing_title": ("链接无效", "Link not found"),
    "missing_default": ("这个问卷链接不存在，请检查链接是否完整。",
                        "This survey link does not exist. Check that the link is complete."),
    "busy_title": ("请稍后再试", "Please try again shortly"),
    "busy_default": ("提交过于频繁，请稍等片刻再提交。", "Too many submissions; wait a moment and try again."),
    "expired": ("页面已过期，请重新提交本页。", "This page expired; please submit it again."),
    "honeypot": ("如果您是人类，请勿填写此项", "Leave this empty if you are human"),
    "privacy": ("您的回答仅用于改进服务，联系方式加密保存。",
                "Your answers are used only to improve our service; contact details are stored encrypted."),
    "star": ("{n} 星", "{n} stars"),
    "faces": (("很不满意", "不满意", "一般", "满意", "很满意"),
              ("Very unhappy", "Unhappy", "Neutral", "Happy", "Very happy")),
}
INDEX = {"zh_CN": 0, "en": 1}


def word(key, language, **values):
    text = WORDS[key][INDEX.get(language, 0)]
    return text.format(**values) if values else text


def wording_for(language):
    """A callable for templates: w('next'), w('page_of', n=1, total=3)."""
    return lambda key, **values: word(key, language, **values)
