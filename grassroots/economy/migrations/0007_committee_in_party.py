"""One 联村党委 (ADR 0045): a company's joint committee becomes party's
organisation of kind 联村党委. Each economy committee moves into a party
organisation (found by subdistrict and name, or created with its member
villages); companies point at it; economy's own committee tables go. The
reverse rebuilds economy committees from the organisations companies point
at (party's organisations stay: they are party's record). A committee's
free-text secretary, founding date and note have no place in party's record
(party keeps its secretary as a member with that post) and are not carried."""

from django.db import migrations

JOINT = "joint"


def committees_to_party(apps, schema_editor):
    JointCommittee = apps.get_model("economy", "JointCommittee")
    Company = apps.get_model("economy", "Company")
    Branch = apps.get_model("party", "Branch")
    for committee in JointCommittee.objects.select_related("node").order_by("id"):
        branch = Branch.objects.filter(node=committee.node, name=committee.name).first()
        if branch is None:
            branch = Branch.objects.create(
                name=committee.name, kind=JOINT, node=committee.node, path=committee.node.path
            )
        elif branch.kind != JOINT:
            # A 党支部 of the same name at the same place cannot be the committee.
            branch = Branch.objects.create(
                name=f"{committee.name}(联村党委)"[:100], kind=JOINT, node=committee.node, path=committee.node.path
            )
        branch.villages.add(*[m.village_id for m in committee.members.all()])
        Company.objects.filter(committee=committee).update(party_committee=branch)


def committees_from_party(apps, schema_editor):
    JointCommittee = apps.get_model("economy", "JointCommittee")
    CommitteeMember = apps.get_model("economy", "CommitteeMember")
    Company = apps.get_model("economy", "Company")
    for company in Company.objects.filter(party_committee__isnull=False).select_related("party_committee__node"):
        branch = company.party_committee
        committee = JointCommittee.objects.filter(node=branch.node, name=branch.name).first()
        if committee is None:
            committee = JointCommittee.objects.create(name=branch.name, node=branch.node, path=branch.node.path)
            CommitteeMember.objects.bulk_create(
                CommitteeMember(committee=committee, village=v) for v in branch.villages.all()
            )
        company.committee = committee
        company.save(update_fields=["committee"])


class Migration(migrations.Migration):
    dependencies = [
        ("economy", "0006_company_party_committee"),
    ]

    operations = [
        migrations.RunPython(committees_to_party, committees_from_party),
    ]
