"""Serializers of /api/v1/routing/ (field labels in Chinese)."""

from __future__ import annotations

import datetime

from rest_framework import serializers

from ..selectors import MAX_TEXT

TEXT_ERRORS = {
    "required": "请提供要推荐分类的文字(text)。",
    "blank": "文字不能为空。",
    "max_length": f"文字不能超过 {MAX_TEXT} 个字。",
    "invalid": "文字必须是字符串。",
    "null": "文字不能为空。",
}


class SuggestInputSerializer(serializers.Serializer):
    title = serializers.CharField(
        label="标题",
        required=False,
        allow_blank=True,
        max_length=100,
        default="",
        error_messages={
            "max_length": "标题不能超过 100 个字。",
            "invalid": "标题必须是字符串。",
            "null": "标题不能为 null。",
        },
    )
    text = serializers.CharField(label="内容(原文即可,无需分词)", max_length=MAX_TEXT, error_messages=TEXT_ERRORS)


class OptionSerializer(serializers.Serializer):
    category = serializers.IntegerField(label="分类 ID", source="category_id")
    label = serializers.CharField(label="分类")
    confidence = serializers.FloatField(label="置信度(0–1,已校准)")
    unit = serializers.CharField(label="责任单位")
    deadline_days = serializers.IntegerField(label="办理时限(工作日)")


class SuggestSerializer(serializers.Serializer):
    model_version = serializers.CharField(label="模型版本", allow_null=True)
    low_confidence = serializers.BooleanField(label="首选置信度低(须人工判断)")
    suggestions = OptionSerializer(many=True, label="推荐前三")
    hint = serializers.CharField(label="提示", allow_blank=True)


class AccuracyQuerySerializer(serializers.Serializer):
    month = serializers.RegexField(
        r"^\d{4}-(0[1-9]|1[0-2])$",
        label="月份(YYYY-MM,默认本月)",
        required=False,
        error_messages={"invalid": "月份格式应为 YYYY-MM,例如 2026-12。"},
    )

    def validate_month(self, value: str) -> datetime.date:
        year, month = (int(x) for x in value.split("-"))
        if not 2000 <= year <= 2100:
            raise serializers.ValidationError("月份超出范围。")
        return datetime.date(year, month, 1)


class AccuracyRowSerializer(serializers.Serializer):
    label = serializers.CharField(label="最终分类")
    decided = serializers.IntegerField(label="已受理的推荐数")
    as_is = serializers.IntegerField(label="直接采纳首选")
    top3 = serializers.IntegerField(label="最终分类在前三之内")
    as_is_rate = serializers.FloatField(label="采纳率", allow_null=True)
    top3_rate = serializers.FloatField(label="前三命中率", allow_null=True)


class AccuracySerializer(serializers.Serializer):
    month = serializers.DateField(label="月份(当月 1 日)")
    total = AccuracyRowSerializer(label="合计")
    per_category = AccuracyRowSerializer(many=True, label="各分类")
    suggested = serializers.IntegerField(label="本月推荐数")
    low_confidence = serializers.IntegerField(label="置信度低的推荐数")
    versions = serializers.ListField(child=serializers.CharField(), label="用到的模型版本")
