"""The plan's starting point: ContestAPI was already async (without its
select_related), the list was still the sync original."""

from oj.utils.api import APIView
from oj.utils.legacy import PlanStartingPoint

from ..queries import contest_list_queryset
from ..serializers import ContestSerializer
from . import oj


class ContestAPI(PlanStartingPoint, oj.ContestAPI):
    pass


class ContestListAPI(APIView):
    def get(self, request):
        contests = contest_list_queryset(request.GET)
        return self.success(self.paginate_data(request, contests, ContestSerializer))
