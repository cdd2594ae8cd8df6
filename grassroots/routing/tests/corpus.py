"""A small synthetic corpus for the router's tests (written for them; not
taken from any data set): four first-level classes with their own
vocabulary, mixed with places and filler that every class shares."""

from __future__ import annotations

import random

PLACES = ["西张村", "下湖村", "店子社区", "良乡社区", "柳杭社区", "新华街社区", "官庄社区", "上湖村"]
FILLER = ["希望有关部门尽快处理", "已经反映多次", "请领导重视", "谢谢", "大家意见很大", "麻烦尽快解决"]
CLASSES: dict[str, list[str]] = {
    "城乡建设": ["路灯不亮", "下水道堵塞", "道路坑洼", "违章搭建", "井盖破损", "小区电梯故障", "楼顶漏水"],
    "环境保护": ["工厂排污", "夜间施工噪音", "垃圾焚烧冒烟", "河道发臭", "油烟扰民", "废水直排"],
    "教育文体": ["学校乱收费", "老师体罚学生", "幼儿园入学难", "校车超载", "补课收费", "学生午餐质量差"],
    "劳动和社会保障": ["拖欠工资", "社保没有缴纳", "养老金发放延迟", "工伤认定", "劳动合同不签", "医保报销难"],
}


def corpus(*, per_class: int = 24, seed: int = 17, spaced: bool = False) -> tuple[list[str], list[str]]:
    rng = random.Random(seed)
    texts, labels = [], []
    for label, topics in CLASSES.items():
        for _ in range(per_class):
            a, b = rng.sample(topics, 2)
            text = f"{rng.choice(PLACES)}{a},{rng.randint(1, 30)}号楼附近{b},{rng.choice(FILLER)}。"
            texts.append(" ".join(text) if spaced else text)
            labels.append(label)
    return texts, labels
