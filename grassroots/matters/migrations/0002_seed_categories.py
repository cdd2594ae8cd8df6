"""Seed the two-level matter categories for grassroots work.

First level: seven classes of everyday village/community work (物业管理 …
集体事务) and the seven first-level classes of Chinese 12345 hotline data
(城乡建设 … 商贸旅游), whose second-level names follow the common 12345
taxonomy. Each category carries the unit type that handles it, the default
subdistrict department (城管办 urban, 安监站 safety, 社会事务办 social, 经管站
economy, 规划建设办 construction, 综治中心 stability, 劳动保障所 labour, 生态环境办
environment) and a deadline in working days. Deadlines follow common practice
of 12345 hotlines and grassroots offices: urgent hazards 1–2 working days,
simple repairs and cleaning 2–5, matters that need another body or money
10–15.

The data is frozen here (a migration must not import app code). The reverse
deletes exactly the seeded rows, children first.
"""

from django.db import migrations

V, G, S = "village", "grid", "subdistrict"

# (code, name, unit_kind, department_code, deadline_days, description, children)
# children: (code, name, unit_kind, department_code, deadline_days, description)
SEED = [
    ("property", "物业管理", V, "", 5, "小区物业服务、收费、公共设施维护", [
        ("property-service", "物业服务质量", V, "", 5, "保洁、保安、维修不到位"),
        ("property-fee", "物业收费与公共收益", V, "", 10, "物业费、停车费、公共收益公开"),
        ("elevator", "电梯故障", V, "", 2, "电梯停运、困人隐患"),
        ("water-heating", "供水供暖", V, "", 3, "停水、水压低、暖气不热"),
        ("parking", "小区停车", V, "", 5, "乱停车、车位纠纷"),
        ("old-estate", "老旧小区改造", S, "construction", 15, "改造进度、质量与资金"),
    ]),
    ("sanitation", "环境卫生", V, "", 3, "垃圾清运、保洁、污水", [
        ("garbage", "垃圾清运", G, "", 2, "垃圾桶满溢、清运不及时"),
        ("waste-sorting", "垃圾分类", V, "", 5, "分类投放、设施配置"),
        ("littering", "乱堆乱放", G, "", 3, "楼道、空地堆放杂物"),
        ("sewage", "污水外溢", V, "", 3, "下水道堵塞、污水横流"),
        ("public-toilet", "公厕保洁", S, "urban", 3, "公厕卫生、设施损坏"),
        ("greening", "绿化养护", S, "urban", 5, "绿地破坏、树木修剪"),
    ]),
    ("roads", "道路设施", S, "urban", 5, "道路、路灯、井盖、公共设施", [
        ("streetlight", "路灯故障", S, "urban", 3, "路灯不亮、灯杆损坏"),
        ("manhole", "井盖缺失破损", S, "urban", 1, "井盖缺失、松动,易致伤人"),
        ("road-damage", "道路破损", S, "construction", 10, "路面坑洼、塌陷"),
        ("village-road", "村内道路", V, "", 10, "村内道路硬化、排水"),
        ("fitness", "健身与公共设施", V, "", 5, "健身器材、座椅损坏"),
    ]),
    ("safety", "安全隐患", S, "safety", 2, "消防、燃气、危化品、危房等隐患", [
        ("fire-exit", "消防通道堵塞", G, "", 1, "楼道、通道堵塞,消防车无法通行"),
        ("ebike-charging", "电动车违规充电", G, "", 2, "飞线充电、楼道充电"),
        ("gas", "燃气安全", S, "safety", 1, "燃气泄漏、违规使用液化气"),
        ("hazardous-storage", "危化品非法储存", S, "safety", 3, "仓库、院落、废弃厂房非法存放危化品"),
        ("illegal-fuel", "非法加油点", S, "safety", 3, "“自流黑”:自建、流动、无证售油"),
        ("dangerous-building", "危房隐患", S, "construction", 3, "房屋开裂、墙体倾斜"),
    ]),
    ("disputes", "邻里纠纷", V, "", 5, "邻里之间的矛盾纠纷", [
        ("noise", "噪音扰民", V, "", 5, "装修、广场舞、商铺噪音"),
        ("leakage", "楼上漏水", V, "", 5, "漏水、渗水引发的纠纷"),
        ("homestead", "宅基地与地界", S, "stability", 10, "宅基地、地界、通行纠纷"),
        ("family", "婚姻家庭纠纷", S, "stability", 5, "赡养、继承、婚姻矛盾"),
        ("pets", "饲养宠物", V, "", 5, "犬只扰民、不文明养犬"),
    ]),
    ("assistance", "社会救助", S, "social", 10, "低保、特困、临时救助与养老助残", [
        ("subsistence", "低保特困", S, "social", 10, "低保、特困供养申请与复核"),
        ("temporary-aid", "临时救助", S, "social", 5, "突发困难临时救助"),
        ("elderly-care", "养老服务", S, "social", 5, "居家养老、助餐、高龄补贴"),
        ("disability", "残疾人帮扶", S, "social", 10, "残疾人补贴、辅具、就业"),
        ("children", "困境儿童", S, "social", 5, "困境儿童、留守儿童关爱"),
    ]),
    ("collective", "集体事务", V, "", 15, "集体资产、收益、村务公开", [
        ("collective-assets", "集体资产资源", S, "economy", 15, "集体资产、资源发包与租赁"),
        ("collective-income", "集体收益分配", S, "economy", 15, "集体收益分配、分红"),
        ("village-affairs", "村务公开", V, "", 10, "村务、财务公开"),
        ("land-contract", "土地承包", S, "economy", 15, "土地承包经营、流转"),
        ("collective-project", "集体项目建设", S, "construction", 15, "集体出资项目的建设与质量"),
    ]),
    ("urban-rural", "城乡建设", S, "construction", 10, "12345 一级分类:城乡建设", [
        ("housing", "住房保障与房地产", S, "construction", 10, ""),
        ("expropriation", "房屋征收与补偿", S, "construction", 15, "国有土地上房屋征收与补偿、集体土地上房屋拆迁"),
        ("municipal", "城市建设和市政管理", S, "urban", 10, ""),
        ("planning", "城乡规划", S, "construction", 15, ""),
        ("construction-quality", "工程质量", S, "construction", 10, ""),
        ("village-building", "村镇建设", S, "construction", 10, ""),
    ]),
    ("environment", "环境保护", S, "environment", 5, "12345 一级分类:环境保护", [
        ("pollution", "环境污染", S, "environment", 5, "油烟、噪声、废气、废水污染"),
        ("env-management", "环保管理", S, "environment", 10, ""),
        ("project-approval", "建设项目审批", S, "environment", 15, "建设项目环评"),
    ]),
    ("transport", "交通运输", S, "urban", 10, "12345 一级分类:交通运输", [
        ("traffic", "交通运输", S, "urban", 10, ""),
        ("taxi", "出租车管理", S, "urban", 10, ""),
        ("passenger-freight", "客货运输", S, "urban", 10, "公交线路、站点、货运"),
        ("postal", "邮政管理", S, "urban", 10, "快递网点、投递"),
        ("transport-works", "建设管理", S, "construction", 15, "交通工程建设管理"),
    ]),
    ("labour", "劳动和社会保障", S, "labour", 10, "12345 一级分类:劳动和社会保障", [
        ("wages", "工资福利", S, "labour", 10, "拖欠工资"),
        ("labour-relations", "劳动关系", S, "labour", 10, "劳动合同、劳动争议"),
        ("employment", "就业培训", S, "labour", 10, ""),
        ("resident-insurance", "城镇居民社会保险", S, "labour", 10, "居民医保、养老保险"),
        ("retirement", "退休政策及待遇", S, "labour", 15, ""),
        ("labour-protection", "劳动保护", S, "labour", 10, ""),
    ]),
    ("education", "教育文体", S, "social", 10, "12345 一级分类:教育文体", [
        ("education-admin", "教育行政管理", S, "social", 10, ""),
        ("education-fees", "教育收费", S, "social", 10, ""),
        ("admission", "考试招生", S, "social", 10, "入学、招生"),
        ("culture", "文化", S, "social", 10, "文化活动、文化场所"),
        ("sports", "体育", S, "social", 10, "体育场地、全民健身"),
    ]),
    ("health", "卫生计生", S, "social", 10, "12345 一级分类:卫生计生", [
        ("public-health", "公共卫生", S, "social", 5, "病媒防治、公共卫生事件"),
        ("food-drug", "食品药品监管", S, "economy", 5, ""),
        ("medical-oversight", "医政监管", S, "social", 10, ""),
        ("population", "人口计生", S, "social", 10, ""),
        ("medical-dispute", "医患纠纷", S, "stability", 10, ""),
    ]),
    ("commerce", "商贸旅游", S, "economy", 10, "12345 一级分类:商贸旅游", [
        ("trade", "商业贸易", S, "economy", 10, ""),
        ("market-oversight", "市场监管", S, "economy", 10, "无照经营、价格、消费纠纷"),
        ("tourism", "旅游管理", S, "economy", 10, ""),
        ("quality-inspection", "质监检验检疫", S, "economy", 15, ""),
    ]),
]


def seeded_codes():
    for code, *_rest, children in SEED:
        yield code
        for child in children:
            yield child[0]


def forwards(apps, schema_editor):
    Category = apps.get_model("matters", "Category")
    for order, (code, name, kind, department, days, description, children) in enumerate(SEED, start=1):
        parent, _ = Category.objects.update_or_create(
            code=code,
            defaults={
                "parent": None,
                "name": name,
                "unit_kind": kind,
                "department_code": department,
                "deadline_days": days,
                "description": description,
                "sort_order": order * 100,
                "active": True,
            },
        )
        for child_order, (child_code, child_name, child_kind, child_department, child_days, child_description) in enumerate(
            children, start=1
        ):
            Category.objects.update_or_create(
                code=child_code,
                defaults={
                    "parent": parent,
                    "name": child_name,
                    "unit_kind": child_kind,
                    "department_code": child_department,
                    "deadline_days": child_days,
                    "description": child_description,
                    "sort_order": order * 100 + child_order,
                    "active": True,
                },
            )


def backwards(apps, schema_editor):
    Category = apps.get_model("matters", "Category")
    codes = list(seeded_codes())
    Category.objects.filter(code__in=codes, parent__isnull=False).delete()
    Category.objects.filter(code__in=codes).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("matters", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
