from django.db.models import Q

from oj.utils.api import APIView

from ..decorators import super_admin_required
from ..models import User
from ..serializers import UserAdminSerializer


class UserAdminAPI(APIView):
    @super_admin_required
    def get(self, request):
        """User list for super admins, ``?keyword=`` filters by username or email."""
        users = User.objects.order_by("-create_time")
        keyword = request.GET.get("keyword")
        if keyword:
            users = users.filter(
                Q(username__icontains=keyword) | Q(email__icontains=keyword)
            )
        return self.success(self.paginate_data(request, users, UserAdminSerializer))
