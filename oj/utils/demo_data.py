"""The demo data set behind ``manage.py seed_demo``.

Deterministic: names, contents, results and relative timestamps come from a seeded
``random.Random``, so two seeds of an empty database hold the same rows (times are
relative to when the seed ran). Sized so that list endpoints page over enough rows
to show an N+1 where one exists.
"""

import contextlib
import random
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from oj.account.models import AdminType, ProblemPermission, User, UserProfile
from oj.announcement.models import Announcement
from oj.comment.models import Comment
from oj.contest.models import Contest
from oj.flowchart.models import FlowchartSubmission, FlowchartSubmissionStatus
from oj.message.models import Message
from oj.problem.models import Problem, ProblemRuleType, ProblemTag
from oj.problem.utils import build_problem_template
from oj.submission.models import JudgeStatus, Submission
from oj.utils.constants import ContestRuleType, Difficulty

PASSWORD = "password"
OPEN_API_APPKEY = "oj-demo-open-api-appkey"
CONTEST_PASSWORD = "contest-password"
STUDENTS = 40
TAGS = (
    "Array",
    "Binary Search",
    "Dynamic Programming",
    "Graph",
    "Greedy",
    "Loop",
    "Math",
    "Recursion",
    "Simulation",
    "Sorting",
    "String",
    "Tree",
)
LANGUAGES = ("C", "C++", "Java", "Python3")
RESULTS = (
    [JudgeStatus.ACCEPTED] * 5
    + [JudgeStatus.WRONG_ANSWER] * 3
    + [JudgeStatus.COMPILE_ERROR, JudgeStatus.RUNTIME_ERROR]
    + [JudgeStatus.CPU_TIME_LIMIT_EXCEEDED]
)
# Everything the demo creates, children first (the order --flush deletes in).
MODELS = (
    Message,
    Comment,
    FlowchartSubmission,
    Submission,
    Problem,
    ProblemTag,
    Contest,
    Announcement,
    UserProfile,
    User,
)


@contextlib.contextmanager
def explicit_create_times(*models):
    """Let rows carry the create_time we give them instead of "now"."""
    fields = [model._meta.get_field("create_time") for model in models]
    for field in fields:
        field.auto_now_add = False
    try:
        yield
    finally:
        for field in fields:
            field.auto_now_add = True


class DemoData:
    def __init__(self, seed=20240601):
        self.rng = random.Random(seed)
        self.now = timezone.now()

    def ago(self, max_days=60):
        return self.now - timedelta(minutes=self.rng.randrange(max_days * 24 * 60))

    def key(self):
        return f"{self.rng.getrandbits(128):032x}"

    def create(self):
        models = (Announcement, Contest, Submission, FlowchartSubmission, Comment)
        with explicit_create_times(*models, Message, User, Problem):
            self.create_users()
            self.create_announcements()
            self.create_problems()
            self.create_contests()
            self.create_submissions()
            self.create_flowchart_submissions()
            self.create_comments()
            self.create_messages()
        return {m._meta.label: m.objects.count() for m in reversed(MODELS)}

    def create_users(self):
        password = make_password(PASSWORD)
        specs = [
            ("root", AdminType.SUPER_ADMIN, ProblemPermission.ALL, {}),
            ("admin", AdminType.ADMIN, ProblemPermission.OWN, {}),
            (
                "disabled",
                AdminType.REGULAR_USER,
                ProblemPermission.NONE,
                {"is_disabled": True},
            ),
            (
                "openapi",
                AdminType.REGULAR_USER,
                ProblemPermission.NONE,
                {"open_api": True, "open_api_appkey": OPEN_API_APPKEY},
            ),
        ]
        specs += [
            (f"student{n:02d}", AdminType.REGULAR_USER, ProblemPermission.NONE, {})
            for n in range(1, STUDENTS + 1)
        ]
        users = User.objects.bulk_create(
            User(
                username=username,
                email=f"{username}@oj.example",
                password=password,
                admin_type=admin_type,
                problem_permission=permission,
                create_time=self.ago(120),
                **extra,
            )
            for username, admin_type, permission, extra in specs
        )
        UserProfile.objects.bulk_create(
            UserProfile(user=user, real_name=user.username.title(), school="Demo High")
            for user in users
        )
        self.root, self.admin = users[0], users[1]
        self.students = users[4:]

    def create_announcements(self):
        Announcement.objects.bulk_create(
            Announcement(
                title=f"Announcement {n}",
                content=f"<p>Notes for week {n}.</p>",
                tag=self.rng.choice(("notice", "contest", "update")),
                created_by=self.rng.choice((self.root, self.admin)),
                top=n % 10 == 0,
                visible=n % 12 != 0,
                create_time=self.ago(),
            )
            for n in range(1, 26)
        )

    def problem(self, display_id, title, contest=None):
        template = build_problem_template("", "def solve():\n    pass", "solve()")
        return Problem(
            _id=display_id,
            contest=contest,
            title=title,
            description=f"<p>{title}: read the input and print the answer.</p>",
            input_description="Two integers.",
            output_description="One integer.",
            samples=[{"input": "1 2", "output": "3"}],
            test_case_id=self.key(),
            test_case_score=[],
            hint="",
            languages=list(LANGUAGES),
            template={"Python3": template},
            created_by=self.rng.choice((self.root, self.admin)),
            time_limit=1000,
            memory_limit=256,
            rule_type=ProblemRuleType.ACM,
            difficulty=self.rng.choice(Difficulty.choices()),
            create_time=self.ago(),
        )

    def create_problems(self):
        tags = ProblemTag.objects.bulk_create(ProblemTag(name=name) for name in TAGS)
        problems = []
        for n in range(1, 31):
            problem = self.problem(str(1000 + n), f"Problem {1000 + n}")
            problem.allow_flowchart = n % 3 == 0
            problem.show_flowchart = n % 5 == 0
            problem.share_submission = n % 4 == 0
            problems.append(problem)
        self.problems = Problem.objects.bulk_create(problems)
        Problem.tags.through.objects.bulk_create(
            Problem.tags.through(problem_id=problem.id, problemtag_id=tag.id)
            for problem in self.problems
            for tag in self.rng.sample(tags, self.rng.randint(1, 3))
        )

    def create_contests(self):
        hour = timedelta(hours=1)
        specs = [
            (
                "Weekly Contest 1 (ended)",
                ContestRuleType.ACM,
                -72 * hour,
                -70 * hour,
                None,
            ),
            ("Weekly Contest 2 (running)", ContestRuleType.ACM, -hour, 2 * hour, None),
            ("OI Practice (running)", ContestRuleType.OI, -hour, 3 * hour, None),
            (
                "Class Test (password)",
                ContestRuleType.ACM,
                -hour,
                2 * hour,
                CONTEST_PASSWORD,
            ),
            (
                "Weekly Contest 3 (upcoming)",
                ContestRuleType.ACM,
                48 * hour,
                50 * hour,
                None,
            ),
        ]
        self.contests = Contest.objects.bulk_create(
            Contest(
                title=title,
                description=f"<p>{title}</p>",
                tag="weekly",
                real_time_rank=rule_type == ContestRuleType.ACM,
                password=password,
                rule_type=rule_type,
                start_time=self.now + start,
                end_time=self.now + end,
                created_by=self.root,
                create_time=self.now - 96 * hour,
            )
            for title, rule_type, start, end, password in specs
        )
        self.contest_problems = Problem.objects.bulk_create(
            self.problem(letter, f"{contest.title} {letter}", contest=contest)
            for contest in self.contests
            for letter in "ABC"
        )

    def create_submissions(self):
        submissions = []
        for n in range(330):
            student = self.rng.choice(self.students)
            if n < 300:
                problem, contest = self.rng.choice(self.problems), None
            else:
                problem = self.rng.choice(self.contest_problems[:9])
                contest = problem.contest
            language = self.rng.choice(LANGUAGES)
            submissions.append(
                Submission(
                    id=self.key(),
                    problem=problem,
                    contest=contest,
                    user_id=student.id,
                    username=student.username,
                    code="print(sum(map(int, input().split())))",
                    language=language,
                    result=self.rng.choice(RESULTS),
                    statistic_info={"time_cost": self.rng.randint(5, 900)},
                    ip="127.0.0.1",
                    create_time=self.ago(),
                )
            )
        self.submissions = Submission.objects.bulk_create(submissions)
        self.record_statistics()

    def record_statistics(self):
        """Problem counters and each student's solved list, as judging would."""
        problems = {p.id: p for p in self.problems}
        profiles = {p.user_id: p for p in UserProfile.objects.all()}
        for submission in self.submissions:
            if submission.contest_id:
                continue
            problem = problems[submission.problem_id]
            profile = profiles[submission.user_id]
            problem.submission_number += 1
            profile.submission_number += 1
            status = profile.acm_problems_status.setdefault("problems", {})
            entry = status.setdefault(
                str(problem.id), {"_id": problem._id, "status": submission.result}
            )
            if submission.result == JudgeStatus.ACCEPTED:
                problem.accepted_number += 1
                if entry["status"] != JudgeStatus.ACCEPTED:
                    profile.accepted_number += 1
                    entry["status"] = JudgeStatus.ACCEPTED
        Problem.objects.bulk_update(
            self.problems, ["submission_number", "accepted_number"]
        )
        UserProfile.objects.bulk_update(
            profiles.values(),
            ["submission_number", "accepted_number", "acm_problems_status"],
        )

    def create_flowchart_submissions(self):
        flowchart_problems = [p for p in self.problems if p.allow_flowchart]
        statuses = [FlowchartSubmissionStatus.COMPLETED] * 5 + [
            FlowchartSubmissionStatus.PENDING,
            FlowchartSubmissionStatus.FAILED,
        ]
        rows = []
        for _ in range(80):
            status = self.rng.choice(statuses)
            completed = status == FlowchartSubmissionStatus.COMPLETED
            score = self.rng.randint(40, 100) if completed else None
            rows.append(
                FlowchartSubmission(
                    id=self.key(),
                    user=self.rng.choice(self.students),
                    problem=self.rng.choice(flowchart_problems),
                    mermaid_code="graph TD\n  A[Read input] --> B[Add] --> C[Print]",
                    status=status,
                    ai_score=score,
                    ai_grade=grade(score) if completed else None,
                    ai_feedback="Clear steps." if completed else None,
                    processing_time=self.rng.uniform(1, 9) if completed else None,
                    evaluation_time=self.now if completed else None,
                    create_time=self.ago(),
                )
            )
        FlowchartSubmission.objects.bulk_create(rows)

    def create_comments(self):
        accepted = {}
        for submission in self.submissions:
            if submission.result == JudgeStatus.ACCEPTED and not submission.contest_id:
                accepted.setdefault(
                    (submission.user_id, submission.problem_id), submission
                )
        pairs = sorted(accepted)[:60]
        Comment.objects.bulk_create(
            Comment(
                user_id=user_id,
                problem_id=problem_id,
                submission=accepted[user_id, problem_id],
                language="Python",
                description_rating=self.rng.randint(3, 5),
                difficulty_rating=self.rng.randint(1, 5),
                comprehensive_rating=self.rng.randint(2, 5),
                content="Nice problem.",
                create_time=self.ago(),
            )
            for user_id, problem_id in pairs
        )

    def create_messages(self):
        students = {s.id: s for s in self.students}
        Message.objects.bulk_create(
            Message(
                sender=self.root,
                recipient=students[submission.user_id],
                submission=submission,
                message="<p>Look at the edge cases again.</p>",
                create_time=self.ago(),
            )
            for submission in self.submissions[:40]
        )


def grade(score):
    for threshold, letter in ((90, "S"), (80, "A"), (65, "B")):
        if score >= threshold:
            return letter
    return "C"


def flush():
    for model in MODELS:
        model.objects.all().delete()
