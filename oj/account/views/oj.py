"""Account endpoints. They stay sync: login and logout rotate the session, and none
of them is in the plan's conversion list."""

from django.contrib import auth
from django.utils.crypto import get_random_string
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import ensure_csrf_cookie

from oj.utils.api import APIView, validate_serializer

from ..decorators import login_required
from ..models import User, UserProfile
from ..serializers import UserLoginSerializer, UserProfileSerializer


class UserLoginAPI(APIView):
    @validate_serializer(UserLoginSerializer)
    def post(self, request):
        data = request.data
        user = auth.authenticate(username=data["username"], password=data["password"])
        if user is None:
            return self.error("Invalid username or password")
        if user.is_disabled:
            return self.error("Your account has been disabled")
        auth.login(request, user)
        return self.success("Succeeded")


class UserLogoutAPI(APIView):
    def get(self, request):
        auth.logout(request)
        return self.success()


class UserProfileAPI(APIView):
    @method_decorator(ensure_csrf_cookie)
    def get(self, request):
        """Your own profile, or ``?username=`` someone else's. Also hands out the
        CSRF cookie the frontend needs for its first POST."""
        if not request.user.is_authenticated:
            return self.success()
        username = request.GET.get("username")
        if username:
            user = User.objects.filter(username=username, is_disabled=False).first()
            if user is None:
                return self.error("User does not exist")
        else:
            user = request.user
        profile, _ = UserProfile.objects.select_related("user").get_or_create(
            user_id=user.pk
        )
        return self.success(
            UserProfileSerializer(profile, show_real_name=not username).data
        )


class OpenAPIAppkeyAPI(APIView):
    @login_required
    def post(self, request):
        user = request.user
        if not user.open_api:
            return self.error("OpenAPI function is turned off for you")
        user.open_api_appkey = get_random_string(32)
        user.save(update_fields=["open_api_appkey"])
        return self.success({"appkey": user.open_api_appkey})
