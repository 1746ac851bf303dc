"""Rounds and periods are reminded by the one reminder scan: their rows move into commitments.Reminder.

Kinds map onto the shared ones (a round's due/overdue become round_due/round_overdue, a period's
deadline_due/deadline_overdue, escalation stays). Sent rows keep their state, so nothing is sent again; pending
rows get a digest key of their own ("migrated:<recipient>"), which the redelivery sweep picks up as stale and
delivers through the shared digest path. ON CONFLICT on the unique key: a row already there is kept.
"""

from django.db import migrations

KINDS = {
    ("round", "due"): "round_due",
    ("round", "overdue"): "round_overdue",
    ("period", "due"): "deadline_due",
    ("period", "overdue"): "deadline_overdue",
}


def forwards(apps, schema_editor):
    FollowupReminder = apps.get_model("followup", "FollowupReminder")
    Reminder = apps.get_model("commitments", "Reminder")
    rows = []
    for old in FollowupReminder.objects.select_related("recipient").iterator(chunk_size=2000):
        pending = old.state == "pending"
        rows.append(
            Reminder(
                recipient_id=old.recipient_id,
                subject_type=old.subject_type,
                subject_id=old.subject_id,
                kind=KINDS.get((old.subject_type, old.kind), old.kind),
                due_on=old.due_on,
                channel="email" if old.recipient.email else "in_app",
                state=old.state,
                sent_at=old.sent_at,
                digest_key=f"migrated:{old.recipient_id}:{'escalation' if old.kind == 'escalation' else 'reminder'}"
                if pending
                else "",
            )
        )
    Reminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("followup", "0001_initial"),
        ("commitments", "0005_reminder_sources_and_leaner_indexes"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.DeleteModel(name="FollowupReminder"),
    ]
