from oj.routing import Route

from ..views.admin import UserAdminAPI

routes = [
    Route("user", UserAdminAPI, name="user_admin_api"),
]
