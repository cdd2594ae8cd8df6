"""The default indicator definitions: those of the subdistrict's monthly
briefing (plain data, read by migration 0002 and services/defaults.py)."""

# name, unit, scope, kind, source department, display order
DEFAULTS: list[tuple[str, str, str, str, str, int]] = [
    ("规上工业总产值", "100m_yuan", "above_size", "cumulative", "统计站", 10),
    ("限上批发业销售额", "100m_yuan", "above_quota", "cumulative", "统计站", 20),
    ("限上零售业销售额", "100m_yuan", "above_quota", "cumulative", "统计站", 30),
    ("限上住宿业营业额", "10k_yuan", "above_quota", "cumulative", "统计站", 40),
    ("限上餐饮业营业额", "10k_yuan", "above_quota", "cumulative", "统计站", 50),
    ("规上服务业营业收入", "100m_yuan", "above_size", "cumulative", "统计站", 60),
    ("固定资产投资", "100m_yuan", "all", "cumulative", "经济发展办公室", 70),
]
