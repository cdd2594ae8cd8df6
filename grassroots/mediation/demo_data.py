"""Texts of the mediation demo data (see demo.py): dispute titles and facts
per type, agreement terms, reasons, reference formats, consultation topics."""

from __future__ import annotations

from .models import Source

# (username, display name); created with unusable passwords (they appear in
# teams and workloads; the demo logs in as `mediator` and `lawyer`).
EXTRA_MEDIATORS = [("mediator2", "王调解"), ("mediator3", "孙调解"), ("mediator4", "高调解")]
EXTRA_ADVISERS = [("lawyer2", "李律师"), ("lawyer3", "赵律师")]
VILLAGE_COMMITTEES = ["西张村", "柳杭社区"]

# type → [(title, facts)]; organisations are respondents where it fits.
DISPUTES: dict[str, list[tuple[str, str]]] = {
    "neighbour": [
        (
            "楼上漏水殃及楼下住户",
            "楼上卫生间防水层老化,持续渗漏至楼下住户顶棚和墙面,楼下要求赔偿维修费用,楼上认为漏点不在本户。",
        ),
        ("楼道堆放杂物阻碍通行", "一方长期在楼道堆放纸箱和旧家具,邻居多次劝说未果,双方发生口角,邻居报警。"),
        ("装修噪音扰民引发争执", "住户在午休和晚间时段装修施工,邻居多次交涉后双方发生推搡。"),
        ("私搭棚架遮挡邻居采光", "一方在院内加盖彩钢棚,遮挡相邻住户窗户采光,双方就是否拆除发生争议。"),
    ],
    "family": [
        ("赡养老人费用分担纠纷", "老人有三名子女,因赡养费和轮流照料分工发生争议,老人到街道反映。"),
        ("离婚后子女探视纠纷", "双方离婚后,抚养孩子的一方多次拒绝另一方按约定探视,双方矛盾激化。"),
        ("房屋继承分割纠纷", "父母去世后留下老宅一处,兄妹对份额和居住使用发生争议。"),
    ],
    "property": [
        ("物业费拖欠与服务质量纠纷", "业主以小区绿化和保洁不到位为由拒交两年物业费,物业公司催缴未果。"),
        ("小区停车位使用纠纷", "业主的固定车位长期被他人占用,物业处理不及时,业主与物业、占位车主发生争执。"),
        ("电梯维修资金分摊纠纷", "单元电梯故障需要大修,低层住户不同意分摊维修资金。"),
    ],
    "labour": [
        ("装修工人工资拖欠纠纷", "装修队工人完工后被拖欠工资,包工头称业主未结清工程款。"),
        ("物流园临时工工伤赔偿纠纷", "临时工在物流园装卸时受伤,与用工单位就医疗费和误工费赔偿发生争议。"),
        ("餐饮店解除劳动关系补偿纠纷", "餐饮店以经营困难为由辞退员工,员工要求支付经济补偿。"),
    ],
    "land": [
        ("征迁补偿款家庭内部分配纠纷", "房屋征收补偿款发放后,兄弟姐妹对补偿款分配比例发生争议。"),
        ("宅基地界址纠纷", "相邻两户翻建房屋时对宅基地界址认定不一,一方砌墙被另一方阻止。"),
        ("承包地流转租金纠纷", "承包地流转后承租方拖欠两年租金,村民集体到村委会反映。"),
    ],
    "consumer": [
        ("健身房预付卡退费纠纷", "健身房更换经营者后停业整改,会员要求退还预付卡余额。"),
        ("家装合同质量纠纷", "家装公司施工后墙面开裂、地砖空鼓,业主要求返工并赔偿,公司只同意局部维修。"),
        ("二手电动车交易质量纠纷", "购买的二手电动车一周内电池损坏,买方要求退车,卖方拒绝。"),
    ],
    "other": [
        ("宠物犬咬伤行人赔偿纠纷", "居民遛狗未拴绳,宠物犬咬伤路过老人,双方就医疗费和营养费赔偿发生争议。"),
        ("非机动车交通事故赔偿纠纷", "电动自行车与行人相撞致行人骨折,双方对责任比例和赔偿金额有争议。"),
        ("合伙经营分红纠纷", "两人合伙经营便利店,因账目不清和分红比例发生争议。"),
    ],
}
AGREED_TERMS = [
    "一、被申请方于履行期限前一次性支付申请方{amount}元;\n二、双方就本纠纷再无其他争议;\n三、双方今后相互尊重,和睦相处。",
    "一、被申请方负责在履行期限前完成维修并承担费用;\n二、申请方配合入户施工;\n三、维修完成后双方共同验收。",
    "一、双方同意按协商方案分担费用,被申请方分两期支付{amount}元;\n二、任何一方违约的,另一方可申请司法确认后强制执行。",
]
FAILURE_REASONS = [
    "双方对赔偿金额差距过大,经多次调解未能达成一致。",
    "被申请方明确表示不再参加调解。",
    "争议涉及法律关系复杂,需通过诉讼查明事实。",
]
SOURCE_REFERENCES = {
    "police": "张公湖田警移〔{year}〕{n:03d}号",
    "court": "({year})鲁0303诉前调{n}号",
    "petition": "湖信〔{year}〕{n:03d}号",
    "walk_in": "",
}
ORG_NAMES = {
    "property": "淄博{x}物业服务有限公司",
    "labour": "淄博{x}物流有限公司",
    "consumer": "张店区{x}商贸有限公司",
}
ORG_WORDS = "宏达鑫源华泰恒信安居祥和瑞丰金鼎"
CONSULTATION_TOPICS = [
    ("family", "离婚财产分割咨询"),
    ("family", "遗嘱效力咨询"),
    ("labour", "未签劳动合同如何维权"),
    ("labour", "工伤认定流程"),
    ("property", "物业费能否拒交"),
    ("land", "征收补偿标准咨询"),
    ("contract", "借款未还如何起诉"),
    ("tort", "邻居装修损坏房屋赔偿"),
    ("other", "赡养义务与老人权益"),
]


# Police referrals are the largest source, then petitions, court referrals, walk-ins.
SOURCE_CYCLE = [
    Source.POLICE,
    Source.PETITION,
    Source.COURT,
    Source.POLICE,
    Source.WALK_IN,
    Source.PETITION,
    Source.POLICE,
    Source.COURT,
    Source.PETITION,
    Source.POLICE,
]
