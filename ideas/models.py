"""Every model, imported once so that the metadata (migrations, create_all) is complete."""

from ideas.accounts.models import User  # noqa: F401
from ideas.challenges.models import (  # noqa: F401
    Challenge,
    ChallengeCriterion,
    ChallengeInvite,
    PhasePlan,
    PhaseTransition,
    TermsAcceptance,
)
from ideas.companies.models import Company, CompanyMember  # noqa: F401
from ideas.core.mail import OutboxMessage  # noqa: F401
from ideas.focus_groups.models import (  # noqa: F401
    Agreement,
    AgreementAcceptance,
    Attachment,
    Attendance,
    FeedbackAnswer,
    FeedbackQuestion,
    FeedbackResponse,
    FeedbackRound,
    FocusGroup,
    FocusGroupIdea,
    GroupSession,
    Membership,
    Post,
)
from ideas.judging.models import (  # noqa: F401
    JudgeAssignment,
    JudgeInvitation,
    JudgingSetup,
    RubricCriterion,
    Score,
    Scorecard,
    ScoreChange,
)
from ideas.notifications.models import Notification  # noqa: F401
from ideas.prototypes.models import (  # noqa: F401
    CriterionRating,
    FeedbackImage,
    Iteration,
    IterationImage,
    Prototype,
    PrototypeCredit,
    PrototypeStatusChange,
    TesterSignup,
    TestFeedback,
)
from ideas.submissions.models import (  # noqa: F401
    Comment,
    Idea,
    IdeaCoauthor,
    IdeaDecision,
    IdeaImage,
    IdeaMerge,
    IdeaRevision,
    PairwiseComparison,
    Report,
    Vote,
    VoteBudgetUse,
)
