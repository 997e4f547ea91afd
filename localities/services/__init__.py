"""Writes for localities. Every state change is a function here: keyword-only, one transaction, `actor=` for
checks and history, e-mail sent after commit. One module per subject, as in `localities.admin`; callers use
`from localities import services` and the names below (with the two exceptions the services raise)."""

from django.core.exceptions import PermissionDenied, ValidationError

from localities.services.agreements import (
    agreement_create,
    agreement_delete,
    agreement_save,
)
from localities.services.coordinators import (
    access_request_approve,
    access_request_create,
    access_request_decline,
    access_request_note_update,
    coordinator_end,
    coordinator_save,
    coordinator_start,
    hash_token,
    invitation_accept,
    invitation_by_token,
    invitation_create,
    invitation_link,
    invitations_purge_expired,
)
from localities.services.locality import (
    LOCALITY_FIELDS,
    allowed_transitions,
    locality_delete,
    locality_public_facts_update,
    locality_transition,
    locality_update,
)
from localities.services.meetings import (
    feedback_meeting_cancel,
    feedback_meeting_create,
    feedback_meeting_delete,
    feedback_meeting_invite_guests,
    feedback_meeting_move,
    feedback_meeting_plan,
    feedback_meeting_record,
    feedback_meeting_reminders_send,
    feedback_meeting_save,
    follow_up_action_delete,
    follow_up_action_mark_done,
    follow_up_action_save,
)
from localities.services.outreach import (
    interest_contacts_erase,
    interest_submit,
    interest_throttle,
    prospect_mark_lost,
)
from localities.services.pilots import (
    AlreadyDoneError,
    milestone_correct,
    milestone_delete,
    milestone_mark_done,
    milestone_reopen,
    milestone_save,
    pilot_create,
    pilot_reschedule,
)
from localities.services.prospects import (
    PROSPECT_CONTACT_FIELDS,
    prospect_contact_delete,
    prospect_contact_log,
    prospect_contact_update,
)
from localities.services.reminders import (
    overdue_reminders_send,
)

__all__ = [
    "LOCALITY_FIELDS",
    "PROSPECT_CONTACT_FIELDS",
    "AlreadyDoneError",
    "PermissionDenied",
    "ValidationError",
    "access_request_approve",
    "access_request_create",
    "access_request_decline",
    "access_request_note_update",
    "agreement_create",
    "agreement_delete",
    "agreement_save",
    "allowed_transitions",
    "coordinator_end",
    "coordinator_save",
    "coordinator_start",
    "feedback_meeting_cancel",
    "feedback_meeting_create",
    "feedback_meeting_delete",
    "feedback_meeting_invite_guests",
    "feedback_meeting_move",
    "feedback_meeting_plan",
    "feedback_meeting_record",
    "feedback_meeting_reminders_send",
    "feedback_meeting_save",
    "follow_up_action_delete",
    "follow_up_action_mark_done",
    "follow_up_action_save",
    "hash_token",
    "interest_contacts_erase",
    "interest_submit",
    "interest_throttle",
    "invitation_accept",
    "invitation_by_token",
    "invitation_create",
    "invitation_link",
    "invitations_purge_expired",
    "locality_delete",
    "locality_public_facts_update",
    "locality_transition",
    "locality_update",
    "milestone_correct",
    "milestone_delete",
    "milestone_mark_done",
    "milestone_reopen",
    "milestone_save",
    "overdue_reminders_send",
    "pilot_create",
    "pilot_reschedule",
    "prospect_contact_delete",
    "prospect_contact_log",
    "prospect_contact_update",
    "prospect_mark_lost",
]
