"""Publicity of matters (ADR 0018): the reporter's consent to a public
listing, and categories whose matters are never public.

Sensitive as seeded (frozen here; a migration must not import app code):
- 邻里纠纷 (disputes) and all its children: neighbours, families and
  inheritance are named in them (婚姻家庭纠纷 among them);
- 社会救助 (assistance) and all its children: subsistence allowance,
  temporary aid, elderly care, disability, children in difficulty — a
  person's income, health or age (残疾人帮扶 among them);
- 医患纠纷 (health), 劳动关系 and 工资福利 (labour disputes and wage arrears
  of a named worker), 人口计生 (family planning).
Existing matters get no consent: nobody was asked, so nothing is listed.
The reporter can change the consent on the tracking page: a `consent` event."""

from django.db import migrations, models

SENSITIVE_GROUPS = ["disputes", "assistance"]
SENSITIVE_CODES = ["medical-dispute", "labour-relations", "wages", "population"]


def _sensitive(Category):
    return Category.objects.filter(code__in=SENSITIVE_GROUPS + SENSITIVE_CODES) | Category.objects.filter(
        parent__code__in=SENSITIVE_GROUPS
    )


def mark_sensitive(apps, schema_editor):
    _sensitive(apps.get_model("matters", "Category")).update(sensitive=True)


def unmark_sensitive(apps, schema_editor):
    _sensitive(apps.get_model("matters", "Category")).update(sensitive=False)


class Migration(migrations.Migration):

    dependencies = [
        ("matters", "0005_publication_moved_to_publicity"),
    ]

    operations = [
        migrations.AddField(
            model_name="category",
            name="sensitive",
            field=models.BooleanField(
                default=False,
                help_text="该分类(含下级分类)的事项不在 Open311 列表等任何公开渠道出现,即使反映人同意公开。",
                verbose_name="涉及隐私,不公开",
            ),
        ),
        migrations.AddField(
            model_name="matter",
            name="public_consent",
            field=models.BooleanField(default=False, verbose_name="同意公开反映内容"),
        ),
        migrations.AlterField(
            model_name="matterevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("created", "反映"),
                    ("transition", "状态变更"),
                    ("note", "内部备注"),
                    ("reply", "公开答复"),
                    ("reassigned", "改派"),
                    ("escalated", "升级督办"),
                    ("joint_meeting", "列入联席会议"),
                    ("attachment", "上传附件"),
                    ("published", "公示"),
                    ("feedback", "评价"),
                    ("reopen_requested", "申请重新办理"),
                    ("reopen_answered", "答复重新办理申请"),
                    ("merged_in", "并入事项"),
                    ("consent", "公开意愿"),
                ],
                max_length=20,
            ),
        ),
        migrations.RunPython(mark_sensitive, unmark_sensitive),
    ]
