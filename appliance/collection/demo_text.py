"""Verbatims for demo data, composed from fragments so they vary (Chinese and English)."""

ASPECTS = ["ordering", "serving", "environment", "checkout"]
FRAGMENTS = {
    "zh_CN": {
        "good": {"ordering": ["扫码点餐很方便", "服务员推荐的菜很合口味", "菜单图片清楚，点餐很快"],
                 "serving": ["上菜速度很快", "菜品热乎，分量足", "招牌菜味道一如既往地好"],
                 "environment": ["环境干净整洁", "装修温馨，适合家庭聚餐", "座位宽敞，很安静"],
                 "checkout": ["结账很快，还有会员优惠", "支付方式多，很方便", "收银员态度很好"]},
        "bad": {"ordering": ["点餐等了很久没人理", "服务员态度冷淡", "菜单上的菜好几样都没有"],
                "serving": ["上菜太慢了，等了四十分钟", "菜是凉的", "菜里吃出了头发，太恶心了",
                            "分量比以前少了很多"],
                "environment": ["地面油腻，桌子没擦干净", "太吵了，说话都听不见", "洗手间很脏",
                                "空调不够冷，很闷热"],
                "checkout": ["结账排队很久", "账单算错了还不承认", "价格偏贵，性价比不高"]},
        "open": ["总体来说", "这次来", "和朋友聚餐", "带孩子来吃饭", "第一次来", "老顾客了"],
        "close_good": ["下次还会再来！", "推荐给朋友了。", "继续保持！", "谢谢！"],
        "close_bad": ["希望尽快改进。", "不会再来了。", "很失望。", "要投诉到消协。",
                      "希望店长重视一下。"],
    },
    "en": {
        "good": {"ordering": ["ordering by QR code was easy", "the staff recommended great dishes"],
                 "serving": ["food came out fast", "the dishes were hot and generous"],
                 "environment": ["the place was spotless", "cosy and quiet, great for families"],
                 "checkout": ["paying was quick", "the cashier was friendly"]},
        "bad": {"ordering": ["nobody came to take our order for ages", "the waiter was rude"],
                "serving": ["we waited forty minutes for the food", "the food was cold"],
                "environment": ["the tables were sticky", "far too noisy", "the toilets were dirty"],
                "checkout": ["the bill was wrong", "too expensive for what you get"]},
        "open": ["Overall", "This time", "Dinner with friends:", "Came with the kids:"],
        "close_good": ["Will come back!", "Keep it up.", "Thanks!"],
        "close_bad": ["Please fix this.", "Very disappointed.", "Not coming back."],
    },
}


def verbatim(rng, nps, ratings, language):
    words = FRAGMENTS[language]
    parts = []
    for aspect, rating in sorted(zip(ASPECTS, ratings), key=lambda _p: rng.random())[:rng.randint(1, 3)]:
        tone = "good" if rating >= 4 else ("bad" if rating <= 2 else rng.choice(["good", "bad"]))
        parts.append(rng.choice(words[tone][aspect]))
    closing = rng.choice(words["close_good"] if nps >= 7 else words["close_bad"])
    if language == "zh_CN":
        return rng.choice(words["open"]) + "，" + "，".join(parts) + "。" + closing
    text = "; ".join(parts)
    return f"{rng.choice(words['open'])} {text}. {closing}"
