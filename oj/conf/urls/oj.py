from oj.routing import Route

from ..views import JudgeServerHeartbeatAPI

routes = [
    Route(
        "judge_server_heartbeat",
        JudgeServerHeartbeatAPI,
        name="judge_server_heartbeat_api",
    ),
]
