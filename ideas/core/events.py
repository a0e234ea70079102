"""Domain events: facts other modules react to (reputation, notifications, search).

Senders announce after they have added and flushed the fact, inside the same
transaction; receivers write in that transaction too, so a notice is never lost
or doubled. Receivers are connected explicitly in `create_app`.
"""

from blinker import Namespace

_signals = Namespace()

user_registered = _signals.signal("user-registered")
login_throttled = _signals.signal("login-throttled")  # an account's failed logins hit the limit
challenge_published = _signals.signal("challenge-published")
challenge_phase_changed = _signals.signal("challenge-phase-changed")
# Sent before a challenge closes; a receiver may refuse by raising a DomainError.
challenge_closing = _signals.signal("challenge-closing")
idea_submitted = _signals.signal("idea-submitted")
idea_edited = _signals.signal("idea-edited")
idea_withdrawn = _signals.signal("idea-withdrawn")
idea_status_changed = _signals.signal("idea-status-changed")  # shortlisted, declined, ...
# Sent before staff change an idea's status; a receiver may refuse by raising a DomainError
# (judging keeps a judged idea's decision for the publication of its results).
idea_status_changing = _signals.signal("idea-status-changing")
# The ideas still undecided when their challenge closed, decided at once (one reason for all).
ideas_decided_on_closing = _signals.signal("ideas-decided-on-closing")
idea_hidden = _signals.signal("idea-hidden")
idea_merged = _signals.signal("idea-merged")
idea_merge_undone = _signals.signal("idea-merge-undone")
vote_cast = _signals.signal("vote-cast")
comment_posted = _signals.signal("comment-posted")
comment_hidden = _signals.signal("comment-hidden")
member_mentioned = _signals.signal("member-mentioned")
content_reported = _signals.signal("content-reported")
judging_invited = _signals.signal("judging-invited")  # a member was invited to a challenge's panel
scorecard_submitted = _signals.signal("scorecard-submitted")
judging_published = _signals.signal("judging-published")  # the results of a challenge's judging are out
scorecard_reopened = _signals.signal("scorecard-reopened")  # staff opened a submitted scorecard again
judges_reminded = _signals.signal("judges-reminded")  # staff reminded judges of ideas they have not scored
# Focus groups and prototypes (notifications now, reputation later).
focus_group_invited = _signals.signal("focus-group-invited")  # a member was invited to a focus group
focus_group_joined = _signals.signal("focus-group-joined")  # an invitee accepted the agreement and joined
focus_group_session_scheduled = _signals.signal("focus-group-session-scheduled")
focus_group_feedback_given = _signals.signal("focus-group-feedback-given")  # a member answered a feedback round
prototype_status_changed = _signals.signal("prototype-status-changed")
prototype_feedback_given = _signals.signal("prototype-feedback-given")  # a tester rated an iteration
prototype_feedback_replied = _signals.signal("prototype-feedback-replied")  # staff answered a tester
