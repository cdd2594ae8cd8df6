"""The default checklists (pure data): warehouse fire safety, the 九小场所,
hazardous chemicals; each item is (text, legal basis). Seeded by migration
0003 and by `services.checklists.checklists_seed_defaults` (tests, demo)."""

FIRE_EXITS = (
    "疏散通道、安全出口、消防车通道畅通,未被占用、堵塞或封闭",
    "《中华人民共和国消防法》第二十八条",
)
FIRE_EQUIPMENT = (
    "按规定配置灭火器、消火栓等消防设施器材,完好有效,定期检验维修",
    "《中华人民共和国消防法》第十六条",
)
ELECTRICAL = (
    "电气线路、用电设备安装使用符合规定,无私拉乱接、超负荷用电",
    "《中华人民共和国消防法》第二十七条",
)
NO_LIVING = (
    "生产、储存、经营场所与居住场所未设置在同一建筑物内(无“三合一”)",
    "《中华人民共和国消防法》第十九条",
)
NO_FLAME = (
    "具有火灾、爆炸危险的场所无吸烟、使用明火现象,动火作业按规定审批",
    "《中华人民共和国消防法》第二十一条",
)
DISTANCES = (
    "生产、生活、储存区域之间保持安全距离,员工宿舍未与仓库设在同一建筑内",
    "《中华人民共和国安全生产法》第四十二条",
)
TRAINING = (
    "从业人员接受安全生产教育和培训,会报警、会扑救初起火灾、会组织疏散",
    "《中华人民共和国安全生产法》第二十八条",
)

CHECKLISTS = [
    (
        "warehouse-fire",
        "仓库消防安全检查表",
        ["warehouse", "courtyard", "disused_factory"],
        [
            FIRE_EXITS,
            FIRE_EQUIPMENT,
            ELECTRICAL,
            DISTANCES,
            NO_FLAME,
            (
                "库存物品分类、分垛储存,堆垛与墙、柱、灯具保持安全间距",
                "《中华人民共和国消防法》第十六条",
            ),
            TRAINING,
        ],
    ),
    (
        "nine-small",
        "九小场所消防安全检查表",
        [
            "small_shop",
            "small_restaurant",
            "small_hotel",
            "small_workshop",
            "small_entertainment",
            "small_internet_cafe",
            "small_beauty",
            "small_clinic",
            "small_school",
        ],
        [
            FIRE_EXITS,
            FIRE_EQUIPMENT,
            ELECTRICAL,
            NO_LIVING,
            (
                "燃气用具、管线安装使用符合规定,厨房油烟管道定期清洗",
                "《中华人民共和国消防法》第二十七条",
            ),
            (
                "门窗未设置影响逃生和灭火救援的铁栅栏、广告牌等障碍物",
                "《中华人民共和国消防法》第二十八条",
            ),
            TRAINING,
        ],
    ),
    (
        "hazardous-chemicals",
        "危险化学品安全检查表",
        ["key_industry"],
        [
            (
                "经营、储存危险化学品依法取得许可,无非法储存、经营(含“自流黑”加油点)",
                "《危险化学品安全管理条例》第三十三条",
            ),
            (
                "危险化学品储存在专用仓库、专用场地或专用储存室内,由专人负责管理",
                "《危险化学品安全管理条例》第二十四条",
            ),
            (
                "储存场所设置相应的监测、监控、通风、防火、防爆、防静电等安全设施设备",
                "《危险化学品安全管理条例》第二十条",
            ),
            NO_FLAME,
            DISTANCES,
            FIRE_EQUIPMENT,
            TRAINING,
        ],
    ),
]
