"""Renewal by mail verified by an SMS code to a phone on file (ADR 0028):
organisations keep the legal representative's and the contact's mobile; the
pending request waits in RenewalVerification until the code is entered;
staff may void a request (state ``voided``).

Existing organisations get the contact phone of the application behind their
current certificate (the one the window checked and issued), or else of the
establishment application; a number that is not a mobile is left out."""

import re

import django.db.models.deletion
import grassroots.core.fields
from django.db import migrations, models


MOBILE = re.compile(r"^1[3-9][0-9]{9}$")


def contact_phones_from_applications(apps, schema_editor):
    Organisation = apps.get_model("registration", "Organisation")
    Certificate = apps.get_model("registration", "Certificate")
    Application = apps.get_model("registration", "Application")
    for organisation in Organisation.objects.filter(contact_phone="").order_by("pk").iterator():
        certificate = (
            Certificate.objects.filter(organisation=organisation, status="valid").select_related("application").first()
        )
        application = certificate.application if certificate else None
        if application is None:
            application = (
                Application.objects.filter(organisation=organisation, service__kind="establish")
                .order_by("created_at", "id")
                .first()
            )
        phone = re.sub(r"[\s-]", "", application.applicant_phone or "") if application else ""
        if MOBILE.match(phone):
            Organisation.objects.filter(pk=organisation.pk).update(contact_phone=phone)


def forget_contact_phones(apps, schema_editor):
    apps.get_model("registration", "Organisation").objects.update(contact_phone="")


class Migration(migrations.Migration):

    dependencies = [
        ('registration', '0003_funds_commitment_bank_voucher'),
    ]

    operations = [
        migrations.AddField(
            model_name='organisation',
            name='contact_phone',
            field=grassroots.core.fields.EncryptedTextField(blank=True, verbose_name='联系人手机号'),
        ),
        migrations.AddField(
            model_name='organisation',
            name='legal_representative_phone',
            field=grassroots.core.fields.EncryptedTextField(blank=True, verbose_name='法定代表人手机号'),
        ),
        migrations.AlterField(
            model_name='application',
            name='state',
            field=models.CharField(choices=[('draft', '填写中'), ('submitted', '已提交待初审'), ('returned', '退回补正'), ('accepted', '已受理审查中'), ('suspended', '中止计时(听证、专家评审等)'), ('approved', '准予登记'), ('refused', '不予登记'), ('issued', '已发证'), ('withdrawn', '已撤回'), ('voided', '已作废')], db_index=True, default='draft', max_length=20, verbose_name='状态'),
        ),
        migrations.CreateModel(
            name='RenewalVerification',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('token', models.CharField(max_length=43, unique=True)),
                ('recipient', models.CharField(choices=[('legal_representative', '法定代表人'), ('contact', '联系人')], max_length=30, verbose_name='验证码接收人')),
                ('code_hash', models.CharField(max_length=64)),
                ('status', models.CharField(choices=[('pending', '待验证'), ('verified', '已验证'), ('void', '已失效')], default='pending', max_length=10, verbose_name='状态')),
                ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='错误次数')),
                ('sends', models.PositiveSmallIntegerField(default=1, verbose_name='发送次数')),
                ('sent_at', models.DateTimeField()),
                ('expires_at', models.DateTimeField()),
                ('client_ip', models.GenericIPAddressField(blank=True, null=True)),
                ('applicant_name', models.CharField(max_length=50, verbose_name='经办人')),
                ('applicant_phone', grassroots.core.fields.EncryptedTextField(verbose_name='经办人手机号')),
                ('inbound_tracking', models.CharField(max_length=30, verbose_name='寄来旧证的 EMS 单号')),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True)),
                ('application', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='renewal_verification', to='registration.application')),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='renewal_verifications', to='registration.organisation')),
            ],
            options={
                'verbose_name': '换证短信验证',
                'verbose_name_plural': '换证短信验证',
                'ordering': ['-created_at', '-id'],
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('application__isnull', False), ('status', 'verified')), models.Q(models.Q(('status', 'verified'), _negated=True), ('application__isnull', True)), _connector='OR'), name='renewal_verification_application_iff_verified')],
            },
        ),
        migrations.RunPython(contact_phones_from_applications, forget_contact_phones),
    ]
