"""`cem demo`: a living restaurant chain so a newcomer sees the appliance at work at once."""
import hashlib
import hmac

from flask import current_app

from ..core import crypto, settings
from ..core.db import transaction
from ..org import units as units_service
from ..org import users as users_service

REGIONS = [("EAST", "华东区", "East China", ["上海", "杭州", "南京", "苏州", "宁波", "无锡", "合肥", "厦门", "福州", "温州"]),
           ("SOUTH", "华南区", "South China", ["广州", "深圳", "佛山", "东莞", "珠海", "南宁", "海口", "中山", "惠州", "汕头"]),
           ("NORTH", "华北区", "North China", ["北京", "天津", "石家庄", "太原", "济南", "青岛", "大连", "沈阳", "郑州", "唐山"])]
DISTRICTS = ["万达店", "中心店", "来福士店", "大悦城店", "火车站店", "机场店", "步行街店", "高新店", "江滨店", "新城店"]
CITIES_EN = {"上海": "Shanghai", "杭州": "Hangzhou", "南京": "Nanjing", "苏州": "Suzhou",
             "宁波": "Ningbo", "无锡": "Wuxi", "合肥": "Hefei", "厦门": "Xiamen", "福州": "Fuzhou",
             "温州": "Wenzhou", "广州": "Guangzhou", "深圳": "Shenzhen", "佛山": "Foshan",
             "东莞": "Dongguan", "珠海": "Zhuhai", "南宁": "Nanning", "海口": "Haikou",
             "中山": "Zhongshan", "惠州": "Huizhou", "汕头": "Shantou", "北京": "Beijing",
             "天津": "Tianjin", "石家庄": "Shijiazhuang", "太原": "Taiyuan", "济南": "Jinan",
             "青岛": "Qingdao", "大连": "Dalian", "沈阳": "Shenyang", "郑州": "Zhengzhou",
             "唐山": "Tangshan"}
DISTRICTS_EN = ["Wanda Plaza", "City Centre", "Raffles City", "Joy City", "Railway Station",
                "Airport", "Pedestrian Street", "Hi-Tech Park", "Riverside", "New Town"]
USERS = [  # username, name, role, unit code
    ("admin", "系统管理员", "admin", "DEMO"),
    ("pm", "王芳 (CX 项目经理)", "programme_manager", "DEMO"),
    ("analyst", "李强 (分析师)", "analyst", "DEMO"),
    ("east", "陈静 (华东区经理)", "unit_manager", "EAST"),
    ("store", "张伟 (上海万达店店长)", "unit_manager", "EAST-01"),
    ("viewer", "赵敏 (高管)", "viewer", "DEMO"),
]


def demo_password():
    """Per installation, from its secret key: printed by `cem demo`, never published, so it
    is on no list of known passwords (the one once written here now is)."""
    digest = hmac.new(current_app.config["SECRET_KEY"].encode(), b"tingjian demo users",
                      hashlib.sha256).hexdigest()
    # Ends in a letter: the common-password check strips trailing digits and dashes, and
    # "Demo-123456-654321" (one key in 280) would have been refused as plain "demo".
    return f"Demo-{digest[:6]}-{digest[6:12]}-tj"


def seed_organisation(db, options, echo=print):
    """`cem demo` step one: the organisation and one user per role. Returns their credentials."""
    if units_service.get_unit_by_code(db, "DEMO") is None:
        if settings.get(db, "setup.completed"):
            raise SystemExit("this appliance is already set up; run the demo with a fresh "
                             "TINGJIAN_DATA_DIR")
        _seed_org(db)
        echo("demo organisation created: 1 group, 3 regions, 30 stores")
    else:
        echo("demo organisation already present")
    return [(u, demo_password(), role, code) for u, _name, role, code in USERS]


def _seed_org(db):
    crypto.create_keyring(current_app.config["DATA_DIR"])
    with transaction(db):
        group = units_service.create_unit(db, "DEMO", "味道餐饮集团", "group", None,
                                          "Weidao Restaurant Group")
        for code, name, name_en, cities in REGIONS:
            region = units_service.create_unit(db, code, name, "region", group, name_en)
            for number, city in enumerate(cities, start=1):
                units_service.create_unit(db, f"{code}-{number:02d}", f"{city}{DISTRICTS[number - 1]}",
                                          "store", region,
                                          f"{CITIES_EN[city]} {DISTRICTS_EN[number - 1]}")
        for username, name, role, code in USERS:
            users_service.create_user(db, username, name, f"{username}@demo.tingjian.local",
                                      demo_password(), role,
                                      units_service.get_unit_by_code(db, code))
        settings.set_many(db, {"org.name": "味道餐饮集团", "org.default_language": "zh_CN",
                               "org.timezone": "Asia/Shanghai", "setup.step": "done",
                               "setup.completed": True})
