from django.contrib.auth.models import AbstractBaseUser
from django.db import models


class AdminType:
    REGULAR_USER = "Regular User"
    ADMIN = "Admin"
    SUPER_ADMIN = "Super Admin"


class ProblemPermission:
    NONE = "None"
    OWN = "Own"
    ALL = "All"


class UserManager(models.Manager):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class User(AbstractBaseUser):
    username = models.CharField(max_length=150, unique=True)
    email = models.TextField(null=True)
    create_time = models.DateTimeField(auto_now_add=True, null=True)
    # One of AdminType
    admin_type = models.TextField(default=AdminType.REGULAR_USER)
    # One of ProblemPermission: which problems an admin may manage
    problem_permission = models.TextField(default=ProblemPermission.NONE)
    # Every session this user logged in with, so an admin can list and revoke them
    session_keys = models.JSONField(default=list)
    # Open API: requests carrying this key in the "appkey" header act as this user
    open_api = models.BooleanField(default=False)
    open_api_appkey = models.TextField(null=True)
    is_disabled = models.BooleanField(default=False)

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        db_table = "user"
        ordering = ("id",)

    def __str__(self):
        return self.username

    def is_regular_user(self):
        return self.admin_type == AdminType.REGULAR_USER

    def is_admin(self):
        return self.admin_type == AdminType.ADMIN

    def is_super_admin(self):
        return self.admin_type == AdminType.SUPER_ADMIN

    def is_admin_role(self):
        return self.admin_type in (AdminType.ADMIN, AdminType.SUPER_ADMIN)

    def can_mgmt_all_problem(self):
        return self.problem_permission == ProblemPermission.ALL

    def is_contest_admin(self, contest):
        # created_by_id, not created_by: no query, so this is safe in async views
        return self.is_authenticated and (
            contest.created_by_id == self.id or self.is_super_admin()
        )


class UserProfile(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE)
    # {"problems": {"<problem id>": {"status": JudgeStatus, "_id": "<display id>"}}}
    acm_problems_status = models.JSONField(default=dict)
    real_name = models.TextField(null=True)
    avatar = models.TextField(default="/public/avatar/default.png")
    blog = models.URLField(null=True)
    mood = models.TextField(null=True)
    github = models.TextField(null=True)
    school = models.TextField(null=True)
    major = models.TextField(null=True)
    language = models.TextField(null=True)
    accepted_number = models.IntegerField(default=0)
    submission_number = models.IntegerField(default=0)

    class Meta:
        db_table = "user_profile"
        ordering = ("id",)

    def __str__(self):
        return f"profile of {self.user_id}"
