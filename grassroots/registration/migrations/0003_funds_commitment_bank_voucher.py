"""The catalogue's 资金到位告知承诺书 tells the applicant that a bank deposit
voucher goes with the commitment, as its own labelled material (验资报告告知
承诺制: the commitment replaces the capital-verification report, the voucher
proves the funds). Rows an administrator has reworded are left alone."""

from django.db import migrations

OLD = "由窗口按您的申请生成,当场签字,承诺资金真实、足额到位,代替验资报告。承诺不实的,依法撤销登记。"
NEW = OLD + "有银行存款凭证的,请一并上传(材料项目选“银行存款凭证”),作为资金到位的证明。"


def forward(apps, schema_editor):
    apps.get_model("registration", "MaterialRequirement").objects.filter(
        code="funds-commitment", description=OLD
    ).update(description=NEW)


def backward(apps, schema_editor):
    apps.get_model("registration", "MaterialRequirement").objects.filter(
        code="funds-commitment", description=NEW
    ).update(description=OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("registration", "0002_seed_catalogue"),
    ]

    operations = [migrations.RunPython(forward, backward)]
